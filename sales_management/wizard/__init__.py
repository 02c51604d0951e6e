from . import sales_complaint_credit_note
from . import sales_complaint_statistics
