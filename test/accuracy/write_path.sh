#!/usr/bin/env bash
# make accuracy (write path): the generated multi-source CRM feed (test/accuracy/crm_feed.py)
# written into four watched tables one INSERT at a time and by COPY, scored for golden records
# (dedupe.record_links), dedupe.cluster on the same rows and the naive email-or-phone baseline;
# a second feed after an oracle reviewer worked the first queue; FEBRL 1-4 through watched
# tables. Runs against PGHOST/PGPORT (scripts/with-cluster gives a throwaway one).
#   PEOPLE="2000"          people in the feed; e.g. PEOPLE="2000 20000" (200000 takes hours)
#   MODES=insert,copy,second,febrl   SEED=1   FEBRL_WRITE=insert|copy   DATA=/path/to/febrl
#   SETTINGS="review_threshold=0.6,auto_link_threshold=0.95"   rows of dedupe.settings to try
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
# Debian's python has psycopg2; a python3 earlier on PATH may not.
exec /usr/bin/python3 -u test/accuracy/write_path.py
