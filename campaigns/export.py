"""The campaign's CSV export, kept here for the views that import it: the files are built by ``campaigns.exports``
(assessment and profiles collection, Pix Orga's columns)."""

from campaigns.exports import campaign_export_response, export_lines, export_response
from campaigns.exports.csv import BOM, FORMULA_STARTS, cell_neutralise

__all__ = ["BOM", "FORMULA_STARTS", "campaign_export_response", "cell_neutralise", "export_lines",
           "export_response"]
