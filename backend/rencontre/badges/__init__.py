"""Badges: signed QR tokens, badge images and print-ready PDFs."""
