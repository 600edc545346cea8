"""Template filters for the Indonesian formats: {% load indonesia %} {{ amount|rupiah }}."""

from django import template

from core import formatting

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("ribuan", formatting.thousands)
register.filter("tanggal", formatting.date_long)
register.filter("tanggal_hari", formatting.date_with_day)
register.filter("tanggal_pendek", formatting.date_short)
register.filter("bulan", formatting.month_year)
register.filter("triwulan", formatting.quarter)
register.filter("jam", formatting.time_wita)
register.filter("waktu", formatting.datetime_wita)
register.filter("durasi", formatting.duration)
