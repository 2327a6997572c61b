package main

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testNuspec = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>Demo.Pkg</id><version>1.2.3</version><authors>A &amp; B</authors>
    <description>d &lt;x&gt;</description><tags>t1 t2</tags>
  </metadata>
</package>
`

// tree writes files (name → content) under a new directory; names ending
// in ".sh" get mode 0755. Each file gets a different mtime, so a packer
// that leaked the disk time into the archive would be caught.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	i := 0
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o600)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o700
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		i++
		mt := time.Date(2001+i, 2, 3, 4, 5, 6, 0, time.UTC)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func pack(t *testing.T, cmd, dir string, extra ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out."+cmd)
	args := append([]string{cmd, "-epoch", "1700000000", "-out", out}, extra...)
	if err := run(append(args, dir), io.Discard); err != nil {
		t.Fatalf("distpack %v: %v", args, err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
	return b
}

func readZip(t *testing.T, b []byte) (*zip.Reader, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = data
	}
	return zr, parts
}

var payload = map[string]string{
	"lib/net40/Demo.dll":                "MZ fake assembly",
	"lib/net40/Demo.xml":                "<doc/>",
	"runtimes/win-x64/native/demo.dll":  "MZ native 64",
	"runtimes/win-x86/native/demo.dll":  "MZ native 32",
	"build/net40/Demo.Pkg.targets":      "<Project/>",
	"tools/install.sh":                  "#!/bin/sh\n",
	"content/LICENSE":                   "no extension",
	"content/README.MD":                 "upper-case extension",
	"runtimes/linux-x64/native/libd.so": "ELF",
}

func TestNupkgLayout(t *testing.T) {
	dir := tree(t, payload)
	spec := filepath.Join(t.TempDir(), "Demo.Pkg.nuspec")
	if err := os.WriteFile(spec, []byte(testNuspec), 0o644); err != nil {
		t.Fatal(err)
	}
	zr, parts := readZip(t, pack(t, "nupkg", dir, "-nuspec", spec))

	if got := string(parts["Demo.Pkg.nuspec"]); got != testNuspec {
		t.Errorf("the manifest is not stored as given at the root: %q", got)
	}
	for name, content := range payload {
		if string(parts[name]) != content {
			t.Errorf("%s: got %q, want %q", name, parts[name], content)
		}
	}
	for _, f := range zr.File {
		if !f.Modified.Equal(time.Unix(1700000000, 0)) {
			t.Errorf("%s: time %v, want the epoch", f.Name, f.Modified)
		}
		want := os.FileMode(0o644)
		if strings.HasSuffix(f.Name, ".sh") {
			want = 0o755
		}
		if f.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", f.Name, f.Mode().Perm(), want)
		}
	}

	// Every relationship target is a part; the manifest and core
	// properties are related with the types NuGet reads.
	var rels struct {
		R []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(parts["_rels/.rels"], &rels); err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, r := range rels.R {
		if _, ok := parts[strings.TrimPrefix(r.Target, "/")]; !ok {
			t.Errorf("relationship %s targets a missing part %s", r.ID, r.Target)
		}
		if len(r.ID) != 17 || r.ID[0] != 'R' {
			t.Errorf("relationship id %q is not R + 16 hex digits", r.ID)
		}
		types[r.Type] = r.Target
	}
	if types[relManifest] != "/Demo.Pkg.nuspec" {
		t.Errorf("manifest relationship: %v", types)
	}
	core := strings.TrimPrefix(types[relCoreProps], "/")
	if !strings.HasPrefix(core, "package/services/metadata/core-properties/") || path.Ext(core) != ".psmdcp" {
		t.Fatalf("core-properties part %q", core)
	}
	var cp struct {
		Creator    string `xml:"creator"`
		Identifier string `xml:"identifier"`
		Version    string `xml:"version"`
		Desc       string `xml:"description"`
		Keywords   string `xml:"keywords"`
	}
	if err := xml.Unmarshal(parts[core], &cp); err != nil {
		t.Fatal(err)
	}
	if cp.Creator != "A & B" || cp.Identifier != "Demo.Pkg" || cp.Version != "1.2.3" || cp.Desc != "d <x>" || cp.Keywords != "t1 t2" {
		t.Errorf("core properties %+v", cp)
	}

	// Every part except [Content_Types].xml itself has a content type.
	var ct struct {
		Default []struct {
			Ext  string `xml:"Extension,attr"`
			Type string `xml:"ContentType,attr"`
		} `xml:"Default"`
		Override []struct {
			Part string `xml:"PartName,attr"`
			Type string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(parts["[Content_Types].xml"], &ct); err != nil {
		t.Fatal(err)
	}
	typeOf := map[string]string{}
	for _, d := range ct.Default {
		typeOf["ext:"+d.Ext] = d.Type
	}
	for _, o := range ct.Override {
		typeOf["part:"+o.Part] = o.Type
	}
	for name := range parts {
		if name == "[Content_Types].xml" {
			continue
		}
		ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
		got := typeOf["ext:"+ext]
		if ext == "" {
			got = typeOf["part:/"+name]
		}
		if got == "" {
			t.Errorf("%s has no content type", name)
		}
	}
	if typeOf["ext:rels"] != ctRelationships || typeOf["ext:psmdcp"] != ctCoreProperties {
		t.Errorf("content types %v", typeOf)
	}
}

// The same tree gives the same bytes whatever the disk's times, modes and
// directory order; a changed byte gives a different package.
func TestDeterministic(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "Demo.Pkg.nuspec")
	if err := os.WriteFile(spec, []byte(testNuspec), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := tree(t, payload), tree(t, payload)
	mt := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(b, "lib/net40/Demo.dll"), mt, mt); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"nupkg", "zip"} {
		pa, pb := pack(t, cmd, a, "-nuspec", spec), pack(t, cmd, b, "-nuspec", spec)
		if !bytes.Equal(pa, pb) {
			t.Errorf("%s: two packs of the same tree differ", cmd)
		}
	}
	changed := map[string]string{}
	for k, v := range payload {
		changed[k] = v
	}
	changed["lib/net40/Demo.dll"] = "MZ fake assembly!"
	if bytes.Equal(pack(t, "nupkg", a, "-nuspec", spec), pack(t, "nupkg", tree(t, changed), "-nuspec", spec)) {
		t.Error("a changed file gave the same package")
	}
}

func TestZipPrefixAndOrder(t *testing.T) {
	zr, parts := readZip(t, pack(t, "zip", tree(t, payload), "-prefix", "demo-1.2.3"))
	if len(parts) != len(payload) {
		t.Fatalf("%d entries, want %d", len(parts), len(payload))
	}
	prev := ""
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "demo-1.2.3/") {
			t.Errorf("%s lacks the prefix", f.Name)
		}
		if f.Name <= prev {
			t.Errorf("entries out of order: %s after %s", f.Name, prev)
		}
		prev = f.Name
	}
}

func TestRefusals(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "x.nuspec")
	if err := os.WriteFile(spec, []byte(testNuspec), 0o644); err != nil {
		t.Fatal(err)
	}
	noID := filepath.Join(t.TempDir(), "noid.nuspec")
	if err := os.WriteFile(noID, []byte(strings.Replace(testNuspec, "<id>Demo.Pkg</id>", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "o")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"space in a path", []string{"nupkg", "-epoch", "1700000000", "-nuspec", spec, "-out", out, tree(t, map[string]string{"lib/a b.dll": "x"})}, "only ASCII"},
		{"a second manifest", []string{"nupkg", "-epoch", "1700000000", "-nuspec", spec, "-out", out, tree(t, map[string]string{"Other.nuspec": "x"})}, "reserved"},
		{"a rels part", []string{"nupkg", "-epoch", "1700000000", "-nuspec", spec, "-out", out, tree(t, map[string]string{"_rels/x.rels": "x"})}, "reserved"},
		{"no id", []string{"nupkg", "-epoch", "1700000000", "-nuspec", noID, "-out", out, tree(t, payload)}, "id, version"},
		{"no epoch", []string{"zip", "-epoch", "", "-out", out, tree(t, payload)}, "SOURCE_DATE_EPOCH"},
		{"epoch before 1980", []string{"zip", "-epoch", "0", "-out", out, tree(t, payload)}, "1980"},
		{"empty tree", []string{"zip", "-epoch", "1700000000", "-out", out, t.TempDir()}, "no files"},
	}
	for _, c := range cases {
		err := run(c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
			t.Errorf("%s: an archive was written", c.name)
		}
	}
}
