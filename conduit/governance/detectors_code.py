"""Secret detectors for code hosting, package registries and developer platforms: GitHub, GitLab, Bitbucket,
Atlassian, npm, PyPI, RubyGems, JFrog, Grafana, Sentry, Postman, Linear and Pulumi.
Pure: imports only `detector`.
"""

from __future__ import annotations

from conduit.governance.detector import END_WORD, Detector, random_after, token

_GL = r"[0-9A-Za-z_-]"

DETECTORS: tuple[Detector, ...] = (
    token("github_token", "github_token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), r"[A-Za-z0-9]{36}",
          validate=random_after(4)),
    token("github_fine_grained_pat", "github_token", ("github_pat_",), r"[A-Za-z0-9_]{82}", end=END_WORD,
          validate=random_after(11)),
    token("gitlab_token", "gitlab_token", ("glpat-", "gldt-", "glrt-", "glsoat-", "glft-", "glffct-"),
          _GL + "{20}", end=END_WORD),
    token("gitlab_routable_token", "gitlab_token", ("glpat-", "glrt-"),
          r"(?:t[0-9]_)?" + _GL + r"{27,300}\.[0-9a-z]{2}[0-9a-z]{7}", end=END_WORD,
          core=_GL + r"{27,}\.[0-9a-z]{9}"),
    token("gitlab_ci_job_token", "gitlab_token", ("glcbt-",), r"[0-9A-Za-z]{1,5}_" + _GL + "{20}", end=END_WORD),
    token("gitlab_incoming_mail_token", "gitlab_token", ("glimt-",), _GL + "{25}", end=END_WORD),
    token("gitlab_trigger_token", "gitlab_token", ("glptt-",), r"[0-9a-f]{40}", end=END_WORD),
    token("gitlab_agent_token", "gitlab_token", ("glagent-",), _GL + "{50}", end=END_WORD),
    token("gitlab_oauth_secret", "gitlab_token", ("gloas-",), _GL + "{64}", end=END_WORD),
    token("gitlab_runner_registration_token", "gitlab_token", ("GR1348941",), _GL + "{20}", end=END_WORD,
          validate=random_after(9)),
    token("gitlab_session_cookie", "gitlab_token", ("_gitlab_session=",), r"[0-9a-z]{32}"),
    token("bitbucket_app_password", "bitbucket_token", ("ATBB",), r"[A-Za-z0-9_=.-]{28,}",
          end=r"(?![A-Za-z0-9_=.-])"),
    token("atlassian_api_token", "atlassian_api_token", ("ATATT3", "ATCTT3"), r"[A-Za-z0-9_=-]{150,}",
          end=r"(?![A-Za-z0-9_=-])"),
    token("npm_token", "npm_token", ("npm_",), r"[A-Za-z0-9]{36}", validate=random_after(4)),
    Detector("npmrc_auth_token", "npm_token", ("//registry.npmjs.org/:_authToken=",),
             r"//registry\.npmjs\.org/:_authToken=[A-Za-z0-9_-]{36}",
             r"//registry\.npmjs\.org/:_authToken=(?P<secret>[A-Za-z0-9_-]{36})" + END_WORD,
             edge=False, validate=random_after(0)),
    token("pypi_token", "pypi_token", ("pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"),
          r"[A-Za-z0-9_-]{50,}", end=END_WORD),
    token("rubygems_token", "rubygems_token", ("rubygems_",), r"[a-f0-9]{48}"),
    token("jfrog_api_key", "jfrog_token", ("AKCp",), r"[A-Za-z0-9]{69}", validate=random_after(4)),
    token("jfrog_reference_token", "jfrog_token", ("cmVmd",), r"[A-Za-z0-9]{59}", validate=random_after(5)),
    token("grafana_cloud_token", "grafana_token", ("glc_",), r"[A-Za-z0-9+/]{32,400}={0,2}",
          end=r"(?![A-Za-z0-9+/=])", validate=random_after(4), core=r"[A-Za-z0-9+/]{32}"),
    token("grafana_service_account_token", "grafana_token", ("glsa_",), r"[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
    token("grafana_api_key", "grafana_token", ("eyJrIjoi",), r"[A-Za-z0-9]{70,400}={0,2}",
          end=r"(?![A-Za-z0-9+/=])", core=r"[A-Za-z0-9]{70}"),
    token("sentry_org_token", "sentry_token", ("sntrys_eyJ",), r"[A-Za-z0-9+/]{40,400}={0,2}_[A-Za-z0-9+/]{43}",
          end=r"(?![A-Za-z0-9+/=_-])"),
    token("sentry_user_token", "sentry_token", ("sntryu_",), r"[a-f0-9]{64}"),
    token("postman_api_key", "postman_api_key", ("PMAK-",), r"[a-f0-9]{24}-[a-f0-9]{34}"),
    token("linear_api_key", "linear_api_key", ("lin_api_",), r"[A-Za-z0-9]{40}"),
    token("pulumi_token", "pulumi_token", ("pul-",), r"[a-f0-9]{40}"),
)
"""The code hosting, registry and developer platform detectors."""
