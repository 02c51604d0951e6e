from . import test_complaint
from . import test_complaint_credit_note
from . import test_complaint_reporting
from . import test_host_refs
from . import test_quota_plan
from . import test_security
