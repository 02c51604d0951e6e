from . import sales_complaint_credit_note
from . import sales_complaint_statistics
from . import sales_credit_exception_wizard
from . import sales_credit_report_wizard
from . import sales_customer_forecast_prepare
from . import sales_rep_scorecard_compute
