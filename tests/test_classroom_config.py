"""The classroom's deployment files: the HAProxy config tools/classroom.py writes, and the Kubernetes
manifest (not run here: parsed and checked for the settings a class relies on)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tools.classroom import HAPROXY, haproxy_config, haproxy_missing_reason

ROOT = Path(__file__).resolve().parents[1]


def test_haproxy_config_sticks_by_cookie_not_by_address():
    cfg = haproxy_config("127.0.0.1:8501", [9001, 9002, 9003])
    lines = [line.strip() for line in cfg.splitlines()]
    assert "bind 127.0.0.1:8501" in lines
    assert [line for line in lines if line.startswith("server ")] == [
        f"server w{i} 127.0.0.1:{9001 + i} cookie w{i}" for i in range(3)]
    assert any(line.startswith("cookie SERVERID insert indirect nocache") for line in lines)
    assert "balance roundrobin" in lines and "balance source" not in cfg and "stick-table" not in cfg
    assert "timeout tunnel 1h" in lines and "option forwardfor" in lines
    assert "http-check send meth GET uri /_stcore/health" in lines


def test_haproxy_accepts_the_config(tmp_path):
    if haproxy_missing_reason():
        pytest.skip(haproxy_missing_reason())
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_config("127.0.0.1:8501", [9001, 9002]))
    check = subprocess.run([HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr


MANIFEST = ROOT / "deploy" / "k8s.yaml"


def test_kubernetes_manifest_has_cookie_affinity_and_health_probes():
    try:
        import yaml
    except ImportError:  # PyYAML is not a dependency: check the same facts in the text
        text = MANIFEST.read_text()
        assert "\t" not in text
        assert [line for line in text.splitlines() if line.startswith("kind:")] == [
            "kind: Deployment", "kind: Service", "kind: Ingress"]
        assert text.count("httpGet: {path: /_stcore/health, port: http}") == 2
        for line in ("sessionAffinity: None", "nginx.ingress.kubernetes.io/affinity: cookie",
                     "nginx.ingress.kubernetes.io/session-cookie-name: SERVERID",
                     'nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"',
                     "- name: STREAMLIT_SERVER_COOKIE_SECRET"):
            assert any(raw.split("#")[0].strip() == line for raw in text.splitlines()), line
        return
    docs = {d["kind"]: d for d in yaml.safe_load_all(MANIFEST.read_text())}
    assert set(docs) == {"Deployment", "Service", "Ingress"}
    pod = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert pod[probe]["httpGet"]["path"] == "/_stcore/health"
    assert any(e["name"] == "STREAMLIT_SERVER_COOKIE_SECRET" for e in pod["env"])
    assert docs["Service"]["spec"]["sessionAffinity"] == "None"  # not ClientIP: one school NAT = one address
    notes = docs["Ingress"]["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == "SERVERID"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600  # websockets live a lesson
    backend = docs["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == docs["Service"]["metadata"]["name"]
    assert docs["Service"]["spec"]["selector"] == docs["Deployment"]["spec"]["template"]["metadata"]["labels"]


def test_dockerfile_serves_with_the_classroom_settings():
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    assert '"--server.fileWatcherType", "none"' in text and '"--server.runOnSave", "false"' in text
    for path in ("app.py", "core", "ui", "pages", "assets", ".streamlit"):  # what the app reads at run time
        assert f"COPY {path} " in text
