from . import res_config_settings
from . import res_partner
from . import sale_order
from . import sales_visit
from . import sales_visit_plan
