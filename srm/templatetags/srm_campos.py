"""Form fields drawn in Python with Bootstrap's markup (srm.widgets.campo_bootstrap)."""

from django import template

from srm.widgets import campo_bootstrap, campos_bootstrap

register = template.Library()
register.simple_tag(campo_bootstrap, name="campo")
register.simple_tag(campos_bootstrap, name="campos")
