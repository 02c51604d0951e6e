from . import report_complaint_sheet
from . import report_credit_status_statement
from . import report_partner_statement
from . import report_visit_daily
from . import report_visit_day
from . import sales_visit_coverage_report
from . import sales_visit_daily_report
from . import sales_visit_prospect_report
