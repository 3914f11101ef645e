from django.urls import path

from dangvu.inspection import views, views_files, views_stats, views_suggestions, views_write

app_name = "inspection"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views_write.new_activity, name="new"),
    path("programmes/new/", views_write.new_programme, name="new_programme"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("coverage/", views_stats.coverage, name="coverage"),
    path("coverage.xlsx", views_stats.coverage_xlsx, name="coverage_xlsx"),
    path("suggestions/", views_suggestions.index, name="suggestions"),
    path("suggestions/new/", views_suggestions.new, name="new_suggestion"),
    path("suggestions/<int:pk>/", views_suggestions.detail, name="suggestion"),
    path("suggestions/<int:pk>/issues/<int:issue_pk>/close/", views_suggestions.close_issue, name="close_issue"),
    path("suggestions/<int:pk>/issues/<int:issue_pk>/report/", views_suggestions.report_issue, name="report_issue"),
    path("<int:pk>/", views.activity, name="activity"),
    path("<int:pk>/decision.docx", views.decision_docx, name="decision_docx"),
    path("<int:pk>/conclusion.docx", views.conclusion_docx, name="conclusion_docx"),
    path("<int:pk>/team/", views_write.team, name="team"),
    path("<int:pk>/subjects/", views_write.subjects, name="subjects"),
    path("<int:pk>/conclusion/", views_write.conclude, name="conclude"),
    path("<int:pk>/files/", views_files.upload, name="upload_file"),
    path("<int:pk>/files/<int:file_pk>/", views_files.download, name="file"),
    path("<int:pk>/files/<int:file_pk>/withdraw/", views_files.withdraw, name="withdraw_file"),
    path("<int:pk>/remediation/", views_write.add_remediation, name="add_remediation"),
    path("<int:pk>/remediation/<int:item_pk>/close/", views_write.close_remediation, name="close_remediation"),
]
