from . import test_host_refs
from . import test_security
from . import test_visit_cron
from . import test_visit_partner
from . import test_visit_plan
from . import test_visit_proposal
from . import test_visit_report
from . import test_visit_visit
