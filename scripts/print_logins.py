"""Prints the demo logins after `make run` has loaded the demo."""

import csv
import sys
from pathlib import Path

port = sys.argv[1] if len(sys.argv) > 1 else "8000"
users = Path(__file__).resolve().parent.parent / "redthread" / "data" / "demo" / "users.csv"
with users.open(encoding="utf-8") as handle:
    rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
print()
print(f"Röd tråd: http://127.0.0.1:{port}/  (log in at /login/, password: demo)")
for row in rows:
    print(f"  {row['email']:<26} {row['role']}")
# redthread/engagements/demo.py: DEMO_SELF_ASSESSMENT_TOKEN
print(
    f"Self-assessment without an account: http://127.0.0.1:{port}/sjalvskattning/demo-sjalvskattning/1/"
)
print()
