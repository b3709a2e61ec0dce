#!/usr/bin/env bash
# Seeds a fresh database with the demo organisation (central > Ninh Bình province > two
# communes), users holding the built-in workflows' roles, and a few cases in progress. The
# outside bodies the cases name (the drafting body, the supervised body) are accounts with
# their role at the case's unit, so each can sign in and see its case. Every demo user signs in
# to the web application with the password in scripts/demo/password.txt. Should a step fail, the
# database is removed: run.sh seeds it again next time instead of serving half of it.
# Usage: scripts/demo-data.sh DOCKET_BINARY DATABASE
set -euo pipefail
docket=$1
db=$2
here=$(dirname "$0")
d() { "$docket" --db "$db" "$@"; }
trap 'status=$?; [[ $status -eq 0 ]] || rm -f "$db" "$db-wal" "$db-shm"' EXIT

d init
d org import "$here/demo/units.json"
d user add admin --name "Quản trị hệ thống" --unit ninh-binh --role auditor
d user admin admin
d user add hung --name "Phạm Văn Hùng" --unit ninh-binh --role standing_board
d user add lan --name "Nguyễn Thị Lan" --unit ninh-binh --role department_head --role officer
d user add so-ld --name "Sở Lao động – Thương binh và Xã hội" --unit ninh-binh --role drafting_body
d user add binh --name "Trần Văn Bình" --unit gia-vien --role standing_board --role officer --role department_head
d user add ubnd-gia-vien --name "UBND xã Gia Viễn" --unit gia-vien --role supervised_body
password=$(<"$here/demo/password.txt")
for user in admin hung lan so-ld binh ubnd-gia-vien; do
  printf '%s\n' "$password" | d user password "$user" --stdin >/dev/null
done

number=$(d --as lan case open social-critique --unit ninh-binh \
  --title "Dự thảo Kế hoạch giảm nghèo bền vững tỉnh Ninh Bình giai đoạn 2026-2030" \
  --field submission_date=2027-01-15 --field drafting_body=so-ld --field document_title="Kế hoạch giảm nghèo bền vững" \
  --field received_date=2026-11-20)
printf '%s\n' "Dự thảo kế hoạch (bản demo)" > "${TMPDIR:-/tmp}/du-thao.txt"
d --as lan case attach "$number" "${TMPDIR:-/tmp}/du-thao.txt" --kind draft
d --as hung case move "$number" assign --comment "Giao Ban Dân chủ – Pháp luật chủ trì"
d --as hung case recommend "$number" --to so-ld "Bổ sung tiêu chí xác định hộ nghèo đa chiều"
d --as binh case open supervision --unit gia-vien --title "Giám sát bình xét hộ nghèo năm 2026 tại xã Gia Viễn" \
  --field subject="Bình xét hộ nghèo, hộ cận nghèo" --field supervised_body=ubnd-gia-vien >/dev/null
echo "demo data: units, users (admin, hung, lan, so-ld, binh, ubnd-gia-vien, password \"$password\") and cases $number and one supervision"
