from django.urls import path

from dealers.views import applications, contracts, evaluations, onboarding, violations
from dealers.views import dealers as dealer_views

app_name = "dealers"

urlpatterns = [
    path("", dealer_views.dealer_list_page, name="list"),
    path("export/", dealer_views.dealer_export, name="export"),
    path("mine/", dealer_views.dealer_mine, name="mine"),
    path("new/", dealer_views.dealer_create, name="create"),
    path("reassign/", dealer_views.dealers_reassign, name="reassign"),
    path("<int:pk>/", dealer_views.dealer_detail, name="detail"),
    path("<int:pk>/edit/", dealer_views.dealer_edit, name="edit"),
    path("<int:pk>/status/", dealer_views.dealer_status, name="status"),
    path("<int:pk>/assign/", dealer_views.dealer_assign, name="assign"),
    path("<int:pk>/contacts/new/", dealer_views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", dealer_views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", dealer_views.contact_delete, name="contact_delete"),
    path("<int:pk>/contact-log/", dealer_views.contact_log_create, name="contact_log"),
    # onboarding
    path("pipeline/", onboarding.pipeline, name="pipeline"),
    path("prospects/new/", onboarding.prospect_create, name="prospect_create"),
    path("<int:pk>/onboarding/", onboarding.onboarding_page, name="onboarding"),
    path("<int:pk>/onboarding/<slug:kind>/", onboarding.document_view, name="document"),
    path("<int:pk>/onboarding/<slug:kind>/edit/", onboarding.document_edit, name="document_edit"),
    # contracts
    path("<int:pk>/contracts/new/", contracts.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/sign/", contracts.contract_sign, name="contract_sign"),
    # evaluations
    path("<int:pk>/evaluate/", evaluations.evaluate, name="evaluate"),
    # violations
    path("violations/", violations.violation_list, name="violations"),
    path("<int:pk>/violations/new/", violations.violation_create, name="violation_create"),
    path("violations/<int:pk>/", violations.violation_detail, name="violation"),
    path("violations/<int:pk>/edit/", violations.violation_edit, name="violation_edit"),
    path("violation-photos/<int:pk>/", violations.violation_photo, name="violation_photo"),
    # applications
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/review/", applications.application_review, name="application_review"),
    path("applications/<int:pk>/reject/", applications.application_reject, name="application_reject"),
    path("applications/<int:pk>/approve/", applications.application_approve, name="application_approve"),
    path("applications/<int:pk>/resend/", applications.application_resend_invitation, name="application_resend"),
]
