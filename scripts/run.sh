#!/usr/bin/env bash
# The run command: installs what is missing, builds, and runs the server on an embedded SQLite
# database (var/demo.db) with the built-in workflows and demo data, printing how to reach it.
# Environment: DOCKET_LISTEN (default 127.0.0.1:8080), DOCKET_DEMO_DB (default var/demo.db).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
docket=./build/cli/docket
db=${DOCKET_DEMO_DB:-var/demo.db}
listen=${DOCKET_LISTEN:-127.0.0.1:8080}
if [[ ! -f "$db" ]]; then
  mkdir -p "$(dirname "$db")"
  rm -f "$db.token"  # a token of an earlier demo database
  ./scripts/demo-data.sh "$docket" "$db"
else
  "$docket" --db "$db" migrate  # a demo database from an older docket: upgraded, after a backup beside it
fi
# The demo token is minted once per demo database and kept beside it, so a token pasted into a
# shell or a client keeps working across restarts (`user revoke lan` ends it; delete the file
# to mint a new one on the next start).
token_file=$db.token
if [[ ! -s "$token_file" ]]; then
  (umask 077 && "$docket" --db "$db" user token lan > "$token_file")
fi
token=$(<"$token_file")
password=$(<scripts/demo/password.txt)

# One line per demo user: the user, their roles @ unit and the password demo-data.sh gave them
# (from `user list` as CSV: the id is its first field, the roles its last, quoted when they
# hold a comma).
demo_sign_ins() {
  printf '  %-15s %-18s %s\n' user password "roles @ unit"
  "$docket" --db "$db" --format csv user list | tail -n +2 | while IFS= read -r line; do
    local roles=${line##*,}
    if [[ $line == *\" ]]; then roles=${line%\"} && roles=${roles##*,\"}; fi
    printf '  %-15s %-18s %s\n' "${line%%,*}" "$password" "$roles"
  done
}
cat <<TXT

Docket is starting on http://$listen with $db (built-in workflows, demo units, users and cases).
Sign in to the web application at http://$listen/ as a demo user:

$(demo_sign_ins)

The demo accounts (outside bodies too: so-ld is the drafting body of the critique case,
ubnd-gia-vien the supervised body of the supervision case; each sees its own case):

$("$docket" --db "$db" user list)

A token for any of them: $docket --db $db user token ID
A demo token for user "lan" (department head and officer at ninh-binh), the same on every
start (kept in $token_file):

  export TOKEN=$token
  curl -s -H "Authorization: Bearer \$TOKEN" http://$listen/api/v1/cases
  curl -s -H "Authorization: Bearer \$TOKEN" http://$listen/api/v1/workflows/social-critique
  curl -s -X POST -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
       -d '{"workflow":"social-critique","unit":"ninh-binh","title":"Dự thảo Đề án nước sạch nông thôn","fields":{"submission_date":"2027-02-26","drafting_body":"so-ld"}}' \\
       http://$listen/api/v1/cases

Notifications go to the log channel (config/notifications.demo.json): watch this terminal
when a case is opened or moved. A case with recommendations offers its recommendation letter
(.docx) on its page, with the letterhead of config/documents.example.json (docs/documents.md).
The API is described in docs/api.md. Ctrl-C stops the server.
TXT
exec "$docket" --db "$db" --notifications config/notifications.demo.json serve --listen "$listen" \
     --documents-config config/documents.example.json
