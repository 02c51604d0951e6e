from . import sales_management_demo
from . import credit_demo
from . import quota_demo
from . import complaint_demo
from . import visit_demo
from . import performance_demo
