from . import test_host_refs
from . import test_security
from . import test_credit_check
from . import test_credit_concurrency
from . import test_credit_status
from . import test_credit_rpc
