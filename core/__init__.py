"""Pure math and data for the playground: torch + numpy only, never streamlit."""
