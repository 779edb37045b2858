"""The code catalogue (codes.py: SMTP reply codes and enhanced status codes from
data/codes.yaml), what ``lookup`` answers from it (lookup.py), and the providers' own
codes found in the rule files (providers.py)."""
