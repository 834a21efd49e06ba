package validate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The kustomize overlays are rendered here by a small merge of our own instead of
// sigs.k8s.io/kustomize/api, which would bring kyaml, the OpenAPI schemas and their
// dependencies into the module for a test. It implements only what deploy/k8s uses and
// fails on anything else, so an overlay cannot silently use a feature this render ignores:
//   - resources: files, or directories holding a kustomization.yaml;
//   - images: name → newName / newTag / digest on every container image;
//   - patches: strategic-merge patch files, each document naming its target by
//     apiVersion, kind and metadata.name; `$patch: delete` removes the object.
//     Maps merge key by key; the lists containers, initContainers, env and volumes merge
//     by name as Kubernetes' strategic merge does; every other list is replaced.
//
// Cross-checked on 2026-12-02 against sigs.k8s.io/kustomize/api v0.21.2 (krusty, built
// outside this module): for the base and both overlays it produced the same objects, field
// for field, as render below.

const k8sDir = "../k8s"

// renders are the kustomizations checked: the base and each overlay.
var renders = []string{"base", "overlays/dev", "overlays/prod"}

var overlays = []string{"overlays/dev", "overlays/prod"}

func render(t *testing.T, dir string) []k8sObject {
	t.Helper()
	objs, err := kustomize(filepath.Join(k8sDir, dir))
	if err != nil {
		t.Fatalf("render %s: %v", dir, err)
	}
	return objs
}

type kustomization struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Resources  []string
	Images     []struct {
		Name    string `yaml:"name"`
		NewName string `yaml:"newName"`
		NewTag  string `yaml:"newTag"`
		Digest  string `yaml:"digest"`
	}
	Patches []struct {
		Path string `yaml:"path"`
	}
}

func kustomize(dir string) ([]k8sObject, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		return nil, err
	}
	var k kustomization
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true) // a field this render does not implement is an error
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("%s/kustomization.yaml: %w", dir, err)
	}
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		return nil, fmt.Errorf("%s/kustomization.yaml: apiVersion/kind %s/%s", dir, k.APIVersion, k.Kind)
	}
	var objs []k8sObject
	for _, r := range k.Resources {
		p := filepath.Join(dir, r)
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: resource %s: %w", dir, r, err)
		}
		if st.IsDir() {
			sub, err := kustomize(p)
			if err != nil {
				return nil, err
			}
			objs = append(objs, sub...)
			continue
		}
		docs, err := yamlDocs(p)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			objs = append(objs, k8sObject{file: p, doc: d})
		}
	}
	for _, p := range k.Patches {
		docs, err := yamlDocs(filepath.Join(dir, p.Path))
		if err != nil {
			return nil, err
		}
		for _, patch := range docs {
			if objs, err = applyPatch(objs, patch); err != nil {
				return nil, fmt.Errorf("%s/%s: %w", dir, p.Path, err)
			}
		}
	}
	for _, img := range k.Images {
		n := 0
		for _, o := range objs {
			pod := mapping(o.doc, "spec", "template", "spec")
			for _, field := range []string{"containers", "initContainers"} {
				for _, c := range list(pod, field) {
					c := c.(map[string]any)
					name, tag := splitImage(str(c, "image"))
					if name != img.Name {
						continue
					}
					if img.NewName != "" {
						name = img.NewName
					}
					switch {
					case img.Digest != "":
						c["image"] = name + "@" + img.Digest
					case img.NewTag != "":
						c["image"] = name + ":" + img.NewTag
					default:
						c["image"] = name + tag
					}
					n++
				}
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: images: %s matches no container", dir, img.Name)
		}
	}
	return objs, nil
}

// splitImage returns the image name and its ":tag" or "@digest" suffix.
func splitImage(image string) (name, suffix string) {
	if i := strings.Index(image, "@"); i >= 0 {
		return image[:i], image[i:]
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[:i], image[i:]
	}
	return image, ""
}

func yamlDocs(path string) ([]doc, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []doc
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	for {
		var m doc
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if m != nil {
			out = append(out, m)
		}
	}
}

func applyPatch(objs []k8sObject, patch doc) ([]k8sObject, error) {
	kind, name := str(patch, "kind"), str(patch, "metadata", "name")
	i := slices.IndexFunc(objs, func(o k8sObject) bool {
		return o.kind() == kind && o.name() == name && str(o.doc, "apiVersion") == str(patch, "apiVersion")
	})
	if i < 0 {
		return nil, fmt.Errorf("patch target %s %s/%s not in the resources", str(patch, "apiVersion"), kind, name)
	}
	if patch["$patch"] == "delete" {
		return slices.Delete(objs, i, i+1), nil
	}
	objs[i].doc = mergeMap(objs[i].doc, patch)
	return objs, nil
}

var mergedByName = []string{"containers", "initContainers", "env", "volumes"}

func mergeMap(dst, patch map[string]any) map[string]any {
	out := make(map[string]any, len(dst))
	for k, v := range dst {
		out[k] = v
	}
	for k, pv := range patch {
		if pv == nil {
			delete(out, k)
			continue
		}
		switch p := pv.(type) {
		case map[string]any:
			d, _ := out[k].(map[string]any)
			out[k] = mergeMap(d, p)
		case []any:
			d, _ := out[k].([]any)
			if slices.Contains(mergedByName, k) {
				out[k] = mergeByName(d, p)
			} else {
				out[k] = p
			}
		default:
			out[k] = pv
		}
	}
	return out
}

func mergeByName(dst, patch []any) []any {
	out := slices.Clone(dst)
	for _, pv := range patch {
		p, _ := pv.(map[string]any)
		i := slices.IndexFunc(out, func(d any) bool { return str(d, "name") == str(p, "name") })
		if i < 0 {
			out = append(out, p)
		} else {
			out[i] = mergeMap(out[i].(map[string]any), p)
		}
	}
	return out
}

// forEachRender runs check on the base and on each overlay, as subtests.
func forEachRender(t *testing.T, dirs []string, check func(t *testing.T, objs []k8sObject)) {
	for _, dir := range dirs {
		t.Run(strings.ReplaceAll(dir, "/", "_"), func(t *testing.T) { check(t, render(t, dir)) })
	}
}

func TestKustomizeMerge(t *testing.T) {
	base := []k8sObject{{doc: doc{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "d"},
		"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
			"containers": []any{map[string]any{"name": "a", "image": "x:1", "args": []any{"serve"},
				"resources": map[string]any{"requests": map[string]any{"cpu": "1", "memory": "1Gi"}}}},
		}}}}}}
	patch := doc{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "d"},
		"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
			"containers": []any{map[string]any{"name": "a", "args": []any{"worker"},
				"resources": map[string]any{"requests": map[string]any{"cpu": "2"}}}},
		}}}}
	got, err := applyPatch(base, patch)
	if err != nil {
		t.Fatal(err)
	}
	c := get(got[0].doc, "spec", "template", "spec", "containers", "0")
	if str(c, "image") != "x:1" || str(c, "resources", "requests", "cpu") != "2" ||
		str(c, "resources", "requests", "memory") != "1Gi" || !slices.Equal(list(c, "args"), []any{"worker"}) {
		t.Errorf("merged container %v", c)
	}
	if _, err := applyPatch(got, doc{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "s"}}); err == nil {
		t.Error("a patch without a target was accepted")
	}
	got, _ = applyPatch(got, doc{"$patch": "delete", "apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "d"}})
	if len(got) != 0 {
		t.Errorf("$patch: delete left %v", got)
	}
	for image, want := range map[string][2]string{
		"registry.example.com:5000/contest:1.0": {"registry.example.com:5000/contest", ":1.0"},
		"contest":                               {"contest", ""},
		"contest@sha256:ab":                     {"contest", "@sha256:ab"},
	} {
		if n, s := splitImage(image); n != want[0] || s != want[1] {
			t.Errorf("splitImage(%q) = %q, %q", image, n, s)
		}
	}
}
