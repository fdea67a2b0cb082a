#!/bin/sh
# training/make_lexicon.sh - writes training/lexicon.txt, the default model's lexicon (`train --lexicon`),
# from the npm package cuss 2.2.0 (Titus Wormer, MIT): English profanities, slurs and obscenities, each
# rated for how surely it is one (2 sure, 1 likely, 0 seldom). Kept: entries of one or two words rated 2,
# and those rated 1 except the ones below, which name groups, beliefs, crimes, drugs or illnesses, subjects
# a comment may discuss without abusing anyone (with them the lexicon raised harmless sentences about
# Nigerians or Protestants toward abusive). A letter written three times ("xxx", "kkk") is left out: the
# folding reads it as that one letter, so it matched every "x" of "x = a[i] * b[i]". Then the words that
# deny people their humanity, which cuss does not rate (training/dehumanising_terms.txt), the [unmarked]
# words (training/unmarked_terms.txt) and the [promotion] phrases (training/promotion_phrases.txt). Needs npm
# and node (Debian: npm); the file is committed, so only a maintainer changing the lexicon runs this.
#
#     training/make_lexicon.sh            rewrite training/lexicon.txt
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent cuss@2.2.0 >/dev/null
echo "66b19c6086d3fb3eac3769daf97dd695290ecc24b0fddbc30688418c629b776f  cuss-2.2.0.tgz" | sha256sum -c --quiet
tar xzf cuss-2.2.0.tgz
cat > neutral.txt <<'WORDS'
abortion abuse addict addicts alla blackman blacks bounty cocaine crack demon devil devilworshipper drug drunk
drunken gob god gonzagas goy goyim guinea guineas hamas hebephila hebephile hebephiles hebephilia hebephilic
heroin herpes hitler hiv homicide homosexual illegals interracial italiano jesus jesuschrist jihad liquor lsd
lynch mafia marijuana meth molest molestation molester molestor murder murderer narcotic nazi nigerian
nigerians nuke pedophile pedophiles pedophilia pedophilic pistol protestant queer racist radical radicals rape raped
rapist satan slaughter suicide terrorist tnt torture whit whites xtc yankee yankees
WORDS
{
    echo "# The lexicon of commentguard's default model: made by training/make_lexicon.sh from the npm package"
    echo "# cuss 2.2.0 (https://github.com/words/cuss), entries of one or two words rated 2, and rated 1 except"
    echo "# words that name groups, beliefs, crimes, drugs or illnesses. Its licence:"
    echo "#"
    sed 's/^/# /; s/ *$//' package/license
    echo
    node --input-type=module -e "
        import { cuss } from './package/index.js';
        import { readFileSync } from 'node:fs';
        const neutral = new Set(readFileSync('neutral.txt', 'utf8').split(/\s+/).filter(Boolean));
        const kept = Object.entries(cuss)
            .filter(([word, rating]) => rating === 2 || (rating === 1 && !neutral.has(word)))
            .map(([word]) => word)
            .filter(word => word.split(/\s+/).length <= 2)
            .filter(word => !/^(.)\1\1+$/.test(word));
        process.stdout.write(kept.join('\n') + '\n');
    "
    echo
    echo "# Words that deny people their humanity (training/dehumanising_terms.txt), counted as the above."
    grep -v '^#' "$here/dehumanising_terms.txt"
    echo
    echo "# Words that name groups of people, left out of the n-gram features (training/unmarked_terms.txt)."
    echo "[unmarked]"
    grep -v '^#' "$here/unmarked_terms.txt"
    echo
    echo "# Phrases of promotional calls to action: one shared feature (training/promotion_phrases.txt)."
    echo "[promotion]"
    grep -v '^#' "$here/promotion_phrases.txt"
} > "$here/lexicon.txt.tmp"
mv "$here/lexicon.txt.tmp" "$here/lexicon.txt"
echo "make_lexicon: $(grep -vc '^#\|^$' "$here/lexicon.txt") entries in $here/lexicon.txt" >&2
