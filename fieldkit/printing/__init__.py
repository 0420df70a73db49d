"""Form definitions (forms/*.toml) rendered to PDF with reportlab."""
