# Abstract parent first: the models below inherit it.
from . import sales_management_input_mixin

from . import account_account
from . import account_move
from . import account_move_line
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import sales_complaint
from . import sales_complaint_category
from . import sales_complaint_survey
from . import sales_credit_balance
from . import sales_credit_collection
from . import sales_credit_collection_target
from . import sales_credit_factor
from . import sales_credit_grade
from . import sales_credit_history
from . import sales_credit_policy
from . import sales_credit_status
from . import sales_quota_line
from . import sales_quota_plan
from . import sales_quota_plan_share
from . import sales_quota_snapshot
from . import sales_visit
from . import sales_visit_plan
