import sys
from pathlib import Path

# The pure layer imports its helpers (addon_index) and the addon's plain
# modules by path: the addon package itself needs Odoo to import.
sys.path.insert(0, str(Path(__file__).resolve().parent))
