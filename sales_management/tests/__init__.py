from . import test_host_refs
from . import test_security
from . import test_quota_plan
