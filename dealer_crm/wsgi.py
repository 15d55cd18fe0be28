import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealer_crm.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their models and modules) lives as long as
# the worker: out of the cyclic garbage collector's sight, each request's collections
# scan only what requests allocate, not these ~100,000 objects again and again.
gc.freeze()
