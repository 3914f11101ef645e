"""Number and date formats per language (settings.FORMAT_MODULE_PATH), over Django's own.

Vietnamese writes thousands with "." and decimals with "," (2.459; 3,5): Django's `vi` module has the
separators but no grouping, so `intcomma` printed 2459. Dates are dd/mm/yyyy in both languages (the
project writes them explicitly with |date:"d/m/Y")."""
