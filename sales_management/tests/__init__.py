from . import test_host_refs
from . import test_security
