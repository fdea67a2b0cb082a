/*
 * commentguard.h - classify blog and news comments as on-topic, off-topic or abusive.
 *
 * This is the whole public interface of libcommentguard. Every exported symbol starts with cg_.
 *
 * The usual life of a caller:
 *
 *     cg_model *model;                       one per process, shared by all threads
 *     char err[256];
 *     if (cg_model_open(NULL, &model, err, sizeof err) != CG_OK) { report err }
 *
 *     cg_workspace *ws;                      one per thread
 *     cg_workspace_new(model, &ws);
 *
 *     cg_result r;
 *     if (cg_classify(model, ws, text, strlen(text), NULL, &r) == CG_OK)
 *         printf("%s %.3f\n", cg_label_name(r.label), r.prob[r.label]);
 *     else
 *         puts(cg_workspace_error(ws));
 *
 *     cg_workspace_free(ws);
 *     cg_model_free(model);
 *
 * Threads: a cg_model is immutable once cg_model_open returns, and may be used by any number of
 * threads at once. A cg_workspace or cg_article belongs to one thread at a time. The library has
 * no global mutable state, never prints, and never exits the process.
 *
 * Errors: every call that can fail returns a cg_status. Calls that take a workspace leave a
 * human-readable message in it (cg_workspace_error); calls that take an `err` buffer write the
 * message there (always NUL-terminated, truncated to errlen). After an error, output arguments are
 * left untouched unless the call says otherwise, and the handles stay usable.
 *
 * Ownership: whatever a cg_*_new or cg_*_open call hands out is freed with the matching cg_*_free;
 * free calls accept NULL. Strings returned as const char * belong to the library and stay valid for
 * the life of the object they came from (or forever, for static strings).
 */
#ifndef COMMENTGUARD_H
#define COMMENTGUARD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define CG_API
#else
#define CG_API __attribute__((visibility("default")))
#endif

#define CG_VERSION_MAJOR 0
#define CG_VERSION_MINOR 1
#define CG_VERSION_PATCH 0
#define CG_VERSION_STRING "0.1.0"

/* The version of the library actually linked, e.g. "0.1.0". Static string. */
CG_API const char *cg_version(void);

typedef enum cg_status {
    CG_OK = 0,
    CG_ERR_IO = -1,      /* a file could not be opened, read or written */
    CG_ERR_FORMAT = -2,  /* a model bundle or data file is malformed, inconsistent or hostile */
    CG_ERR_VERSION = -3, /* a model bundle was written by a newer, incompatible commentguard */
    CG_ERR_NOMEM = -4,   /* out of memory */
    CG_ERR_INPUT = -5,   /* bad argument, e.g. a comment longer than CG_MAX_COMMENT_BYTES */
} cg_status;

/* A short static description of a status, e.g. "malformed model or data". */
CG_API const char *cg_strerror(cg_status status);

/* The classes, in the order of cg_result.prob. CG_UNSURE is only ever a cg_result.label, and only
 * when thresholds are set (cg_workspace_set_thresholds). */
typedef enum cg_label {
    CG_ON_TOPIC = 0,
    CG_OFF_TOPIC = 1,
    CG_ABUSIVE = 2,
    CG_UNSURE = 3,
} cg_label;

#define CG_NUM_CLASSES 3

/* "on-topic", "off-topic", "abusive" or "unsure"; NULL for any other value. Static string. */
CG_API const char *cg_label_name(cg_label label);

/* Longest comment or article accepted, in bytes. Longer input is refused with CG_ERR_INPUT rather
 * than truncated, so that a caller never gets a verdict about text the model did not read. */
#define CG_MAX_COMMENT_BYTES (1u << 20)

typedef struct cg_model cg_model;         /* a loaded model bundle; immutable, shared by threads */
typedef struct cg_workspace cg_workspace; /* per-thread scratch memory and last error message */
typedef struct cg_article cg_article;     /* an article analysed once, to score many comments */

typedef struct cg_result {
    cg_label label;              /* the most probable class, or CG_UNSURE (see thresholds) */
    double prob[CG_NUM_CLASSES]; /* calibrated probabilities, indexed by cg_label, summing to 1 */
} cg_result;

/*
 * Load the model bundle in directory `bundle_dir` (see models/README.md for its files). With
 * bundle_dir NULL the default model is found in this order: the directory named by the
 * environment variable COMMENTGUARD_MODEL, the installed share/commentguard/models/default, the
 * source tree's models/default. The bundle is fully validated before use: a truncated, corrupt or
 * hostile bundle gives CG_ERR_FORMAT, one from a newer format CG_ERR_VERSION, never a crash.
 * On success *out owns the model (free it with cg_model_free); on failure *out is set to NULL and
 * `err` (may be NULL) receives the reason.
 */
CG_API cg_status cg_model_open(const char *bundle_dir, cg_model **out, char *err, size_t errlen);
CG_API void cg_model_free(cg_model *model);

/* The directory the model was loaded from. Owned by the model. */
CG_API const char *cg_model_path(const cg_model *model);

/*
 * Create scratch memory for classifying with `model` from one thread. The workspace grows to the
 * largest comment seen and is then reused: classifying allocates nothing more. A workspace may be
 * used with any model (it adapts on the next call).
 */
CG_API cg_status cg_workspace_new(const cg_model *model, cg_workspace **out);
CG_API void cg_workspace_free(cg_workspace *ws);

/* The message of the last failed call made with this workspace ("" if none). Owned by ws. */
CG_API const char *cg_workspace_error(const cg_workspace *ws);

/*
 * Thresholds give moderators a three-way outcome: a comment is labelled with class c only if
 * prob[c] >= threshold[c] for the most probable class c; otherwise the label is CG_UNSURE (prob is
 * still filled in). Each threshold must lie in [0, 1]; all zero (the default) never gives
 * CG_UNSURE. The thresholds are a setting of the workspace.
 */
CG_API cg_status cg_workspace_set_thresholds(cg_workspace *ws, const double threshold[CG_NUM_CLASSES]);

/*
 * Read thresholds written as `commentguard thresholds` prints them: "on-topic=0.62,off-topic=0.4,
 * abusive=0.71", classes in any order, each at most once, a class left out meaning 0, numbers from
 * 0 to 1 in plain decimal (whatever the locale); white space around the whole is ignored, so a
 * file's line with its newline will do. On success fills threshold[CG_NUM_CLASSES] for
 * cg_workspace_set_thresholds; otherwise CG_ERR_INPUT, threshold untouched, the reason in `err`.
 */
CG_API cg_status cg_thresholds_parse(const char *spec, double threshold[CG_NUM_CLASSES], char *err, size_t errlen);

/*
 * Analyse an article (the post, story, question or video title that comments answer) once, so that
 * many comments can be judged against it. `text` is UTF-8 (or HTML) of `len` bytes; invalid UTF-8
 * is handled as in cg_classify. The article is tied to the model it was made with and is read-only
 * afterwards: several threads may share it. Free it with cg_article_free.
 */
CG_API cg_status cg_article_new(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                                cg_article **out);
CG_API void cg_article_free(cg_article *article);

/*
 * cg_article_new for an article with the comments already published under it (its thread: on a
 * moderated site, the approved ones), oldest first: comments[i] of lens[i] bytes, n of them
 * (comments and lens may be NULL when n is 0). They are read as one text, the article and then each
 * comment, a blank line between, so that a bundle's topicality stage judges a new comment against
 * what the post and its readers talk about: a title and a line say little, a thread says much more
 * (README, "The thread"). Where the whole would pass CG_MAX_COMMENT_BYTES, the oldest comments are
 * left out (as many as needed); empty comments add nothing. Errors as cg_article_new, and
 * CG_ERR_INPUT for a NULL comment of non-zero length. n = 0 is cg_article_new exactly.
 */
CG_API cg_status cg_article_new_thread(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                                       const char *const *comments, const size_t *lens, size_t n,
                                       cg_article **out);

/*
 * Classify one comment: `text` of `len` bytes, UTF-8 possibly with HTML markup and entities.
 * Bytes that are not valid UTF-8 are read as U+FFFD (each invalid sequence counts as one) and NUL
 * bytes as spaces, so any byte string is classified; the text itself is never modified.
 * `article` may be NULL: the comment is then judged on its own (the model was trained on comments
 * with and without their articles). Errors: CG_ERR_INPUT if len > CG_MAX_COMMENT_BYTES, if text is
 * NULL with len > 0, or if the article belongs to another model; CG_ERR_NOMEM if scratch memory
 * could not grow. On error *out is untouched.
 */
CG_API cg_status cg_classify(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                             const cg_article *article, cg_result *out);

/*
 * A comment with its author, as a blog or news site knows it. Every string is UTF-8 and belongs to
 * the caller; the library reads it during the call only. author, author_url and author_email are
 * NUL-terminated and may be NULL (unknown); text is `len` bytes as in cg_classify.
 */
typedef struct cg_comment {
    const char *text;
    size_t len;
    const char *author;       /* the name the commenter gave */
    const char *author_url;   /* the Website field, e.g. "https://example.com/page" */
    const char *author_email; /* the e-mail address field */
} cg_comment;

/*
 * cg_classify for a comment with its author. A model adapted to a site (`commentguard train
 * --base`) reads the author's name and the domains of the URL and e-mail as features of their
 * own; other models ignore the author fields. cg_classify(model, ws, text, len, article, out)
 * is this call with every author field NULL. Errors as cg_classify.
 */
CG_API cg_status cg_classify_comment(const cg_model *model, cg_workspace *ws, const cg_comment *comment,
                                     const cg_article *article, cg_result *out);

/* One reason for a verdict: a word of the comment, a signal, the relation to the article, the
 * words of the bundle's lexicon, (under an article) the bundle's topicality stage: "about something
 * else than the article" for off-topic, "shares the article's subject" for on-topic; or, for a
 * bundle adapted to a site, how the comment is written and its author's fields. */
typedef struct cg_reason {
    const char *text; /* the word as the model read it (normalised: "idiot" for "IDI0T"), or a signal's
                         name such as "links", "relation to the article", "words of the lexicon" or
                         "about something else than the article";
                         owned by the workspace, valid until its next use */
    double weight;    /* how much it pushed the comment toward the label (the sum of its features'
                         weights in the label's one-against-one decision values; for the topicality
                         stage, how far it moved the off-topic log-odds up, or down), always > 0 */
    long start, end;  /* its bytes [start, end) in the comment, or -1 and -1 when it has none */
} cg_reason;

/*
 * Why `label` (usually the label cg_classify gave): the parts of the comment that pushed it most
 * toward that class, strongest first. Writes at most `max` reasons to `reasons` and their number
 * to *count (0 if nothing spoke for the label). Classifies the comment again, so it costs a little
 * more than cg_classify; meant for moderators, not for every comment. Needs a linear model (every
 * model commentguard trains): CG_ERR_INPUT otherwise, or for a label that is not a class. Other
 * errors as cg_classify.
 */
CG_API cg_status cg_explain(const cg_model *model, cg_workspace *ws, const char *text, size_t len,
                            const cg_article *article, cg_label label, cg_reason *reasons, size_t max,
                            size_t *count);

/*
 * cg_explain for a comment with its author (cg_classify_comment's verdict). For a bundle adapted
 * to a site, the reasons of both parts: the site model's words (its character n-grams of the text
 * as written are shared among the words they touch; those of spaces, punctuation and markup alone
 * are one reason, "how it is written (spaces, punctuation, markup)"), "the author's name", "the
 * author's website" and "the author's e-mail domain", and the base's reasons; for a class the site
 * had rows of, each part's weights count by its share of the blend (bundle.json's "blend" w for the
 * site model, 1 - w for the base), and a word both parts read is one reason. cg_explain(model, ws,
 * text, len, article, ...) is this call with every author field NULL.
 */
CG_API cg_status cg_explain_comment(const cg_model *model, cg_workspace *ws, const cg_comment *comment,
                                    const cg_article *article, cg_label label, cg_reason *reasons, size_t max,
                                    size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* COMMENTGUARD_H */
