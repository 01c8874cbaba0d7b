"""Landing page and entry point: `streamlit run app.py`. Pages live in pages/."""
from ui.common import setup_page
from ui.home import landing_page

setup_page()
landing_page()
