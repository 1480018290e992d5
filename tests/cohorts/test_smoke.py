def test_pages_render(instructor_client, cohort, membership, core):
    for url in [
        "/cohorts/",
        f"/cohorts/{cohort.uuid}/",
        f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/",
        f"/cohorts/{cohort.uuid}/overview.csv",
        "/my-cohorts/",
        f"/join/{cohort.join_code}/",
    ]:
        r = instructor_client.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
