from django.urls import path

from hq.views import imports, people, setup

app_name = "hq"

urlpatterns = [
    path("", setup.index, name="index"),
    # the territory and the catalogue
    path("regions/", setup.regions, name="regions"),
    path("regions/new/", setup.region_create, name="region_create"),
    path("regions/<int:pk>/", setup.region_edit, name="region_edit"),
    path("regions/<int:pk>/delete/", setup.region_delete, name="region_delete"),
    path("categories/", setup.categories, name="categories"),
    path("categories/<int:pk>/", setup.category_edit, name="category_edit"),
    path("products/", setup.products, name="products"),
    path("products/new/", setup.product_create, name="product_create"),
    path("products/<int:pk>/", setup.product_edit, name="product_edit"),
    path("prices/", setup.prices, name="prices"),
    # people and rules
    path("users/", people.users, name="users"),
    path("users/new/", people.user_create, name="user_create"),
    path("users/<int:pk>/", people.user_edit, name="user_edit"),
    path("users/<int:pk>/invite/", people.user_invite, name="user_invite"),
    path("users/<int:pk>/dealers/", people.user_assign_dealers, name="user_assign_dealers"),
    path("evaluation/", people.evaluation, name="evaluation"),
    path("evaluation/<int:pk>/", people.criterion_edit, name="criterion_edit"),
    path("rebate-plans/", people.rebate_plans, name="rebate_plans"),
    path("rebate-plans/new/", people.rebate_plan_create, name="rebate_plan_create"),
    path("rebate-plans/<int:pk>/", people.rebate_plan_edit, name="rebate_plan_edit"),
    path("rebate-plans/<int:pk>/dealers/", people.rebate_plan_assign, name="rebate_plan_assign"),
    path("rebate-assignments/<int:pk>/remove/", people.rebate_assignment_remove, name="rebate_assignment_remove"),
    path("visit-plans/", people.visit_plans, name="visit_plans"),
    path("visit-plans/apply/", people.visit_plans_apply, name="visit_plans_apply"),
    path("notifications/", people.notification_settings, name="notifications"),
    # imports and exports
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", imports.import_status, name="import_status"),
    path("imports/<int:pk>/apply/", imports.import_apply, name="import_apply"),
    path("imports/<int:pk>/discard/", imports.import_discard, name="import_discard"),
    path("templates/<str:kind>/", imports.import_template, name="import_template"),
    path("exports/<str:kind>/", imports.export, name="export"),
]
