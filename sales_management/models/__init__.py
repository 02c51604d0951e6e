from . import account_move
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import sales_complaint
from . import sales_complaint_category
from . import sales_complaint_survey
