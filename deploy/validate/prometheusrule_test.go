package validate

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

var updateRules = flag.Bool("update-rules", false, "rewrite deploy/k8s/base/85-prometheusrule.yaml from deploy/observability/alerts.yaml")

const prometheusRuleFile = "85-prometheusrule.yaml"

const prometheusRuleHeader = `# GENERATED from deploy/observability/alerts.yaml, the rule file promtool checks and tests
# (make rules-check): edit that file, then
#   go test ./deploy/validate/ -run TestPrometheusRuleMatchesAlerts -update-rules
# The prometheus-operator loads PrometheusRules whose labels match its ruleSelector; release:
# kube-prometheus-stack is a default kube-prometheus-stack's (as for the ServiceMonitor).
`

// TestPrometheusRuleMatchesAlerts: the PrometheusRule applied with the application carries
// exactly the groups of alerts.yaml, so what runs in the cluster is what promtool tested.
func TestPrometheusRuleMatchesAlerts(t *testing.T) {
	var rules doc
	if err := yaml.Unmarshal([]byte(readFile(t, observabilityDir, "alerts.yaml")), &rules); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(k8sDir, "base", prometheusRuleFile)
	if *updateRules {
		obj := doc{
			"apiVersion": "monitoring.coreos.com/v1",
			"kind":       "PrometheusRule",
			"metadata": doc{"name": "contest", "namespace": "contest",
				"labels": doc{"app.kubernetes.io/part-of": "contest", "release": "kube-prometheus-stack"}},
			"spec": doc{"groups": rules["groups"]},
		}
		var out bytes.Buffer
		out.WriteString(prometheusRuleHeader)
		enc := yaml.NewEncoder(&out)
		enc.SetIndent(2)
		if err := enc.Encode(obj); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pr, ok := find(render(t, "base"), "PrometheusRule", "contest")
	if !ok {
		t.Fatalf("the base has no PrometheusRule contest (%s)", path)
	}
	if !reflect.DeepEqual(get(pr.doc, "spec", "groups"), rules["groups"]) {
		t.Errorf("%s differs from deploy/observability/alerts.yaml: regenerate it with -update-rules", path)
	}
	if str(pr.doc, "metadata", "labels", "release") != str(findIn(t, "ServiceMonitor", "contest").doc, "metadata", "labels", "release") {
		t.Error("the PrometheusRule and the ServiceMonitor are not selected by the same Prometheus (release label)")
	}
}
