#!/bin/sh
# The benchmark (tools/bench.py): commentguard against fastText and svm-predict, same machine, same run.
#   tools/bench.sh [--input FILE] [--model DIR] [--runs N] [--work DIR] ...   (--help for all options)
exec /usr/bin/python3 "$(dirname "$0")/bench.py" "$@"
