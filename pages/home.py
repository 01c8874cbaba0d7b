"""The landing page: a path of lessons (ui/home.py)."""
from ui.common import setup_page
from ui.home import landing_page

setup_page()
landing_page()
