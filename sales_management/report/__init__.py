from . import sales_visit_coverage_report
from . import sales_visit_daily_report
from . import sales_visit_prospect_report
