from . import account_move_line
from . import res_company
from . import res_config_settings
from . import sale_order_line
from . import sales_quota_line
from . import sales_quota_plan
from . import sales_quota_plan_share
from . import sales_quota_snapshot
