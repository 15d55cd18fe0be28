"""The setup pages of HQ admin (see hq/urls.py)."""
