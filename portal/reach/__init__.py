"""Outputs that carry the portal beyond its pages: feeds, sitemap, robots.txt, share cards and
links, hreflang alternates, oEmbed and the embeddable player.

Part of portal, the top of the import chain (portal → media_pipeline → questions → events): it
reads every app's models and no app imports it. Its template tags are `{% load reach %}`
(portal/templatetags/reach.py), its templates `reach/…`, its static files `reach/…`.
"""
