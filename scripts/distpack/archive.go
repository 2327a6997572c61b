package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// file is one regular file of the tree being archived.
type file struct {
	name string // slash-separated, relative to the tree
	path string // where it is on disk
	exec bool   // any execute bit set
}

// collect lists the regular files below dir, sorted by name (byte order).
// Anything else (a symlink, a device) is an error: an archive of the bundle
// holds files only.
func collect(dir string) ([]file, error) {
	var files []file
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, file{name: filepath.ToSlash(rel), path: p, exec: info.Mode()&0o111 != 0})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no files", dir)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

// entry is one member to write: from a file on disk or from bytes.
type entry struct {
	name string
	exec bool
	data []byte // when path is empty
	path string
}

// writeEntries writes the members in the order given, each deflated, dated
// mtime, mode 0644 or 0755, with no directory entries.
func writeEntries(w io.Writer, entries []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
		mode := fs.FileMode(0o644)
		if e.exec {
			mode = 0o755
		}
		h.SetMode(mode)
		dst, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if e.path == "" {
			_, err = dst.Write(e.data)
		} else {
			err = copyFile(dst, e.path)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
	}
	return zw.Close()
}

func copyFile(dst io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(dst, f)
	return err
}

// writeZip archives the files, each name behind prefix.
func writeZip(w io.Writer, prefix string, files []file, mtime time.Time) error {
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	entries := make([]entry, len(files))
	for i, f := range files {
		entries[i] = entry{name: prefix + f.name, exec: f.exec, path: f.path}
	}
	return writeEntries(w, entries, mtime)
}

// nuspecMetadata is what the package core-properties part repeats from the
// manifest (NuGet writes the same fields).
type nuspecMetadata struct {
	ID          string `xml:"metadata>id"`
	Version     string `xml:"metadata>version"`
	Authors     string `xml:"metadata>authors"`
	Description string `xml:"metadata>description"`
	Tags        string `xml:"metadata>tags"`
}

// OPC content types and relationship types NuGet uses.
const (
	ctRelationships  = "application/vnd.openxmlformats-package.relationships+xml"
	ctCoreProperties = "application/vnd.openxmlformats-package.core-properties+xml"
	ctOctet          = "application/octet"
	relManifest      = "http://schemas.microsoft.com/packaging/2010/07/manifest"
	relCoreProps     = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)

// writeNupkg writes a NuGet package: <id>.nuspec at the root, the files,
// the core-properties part, _rels/.rels and [Content_Types].xml.
func writeNupkg(w io.Writer, manifest []byte, files []file, mtime time.Time) error {
	var md nuspecMetadata
	if err := xml.Unmarshal(manifest, &md); err != nil {
		return fmt.Errorf("nuspec: %w", err)
	}
	if md.ID == "" || md.Version == "" || md.Authors == "" || md.Description == "" {
		return fmt.Errorf("nuspec: id, version, authors and description are required (got id %q, version %q)", md.ID, md.Version)
	}
	for _, f := range files {
		if err := checkPartName(f.name); err != nil {
			return err
		}
	}
	sum := sha256.Sum256(manifest)
	nuspecName := md.ID + ".nuspec"
	corePart := "package/services/metadata/core-properties/" + hex.EncodeToString(sum[:16]) + ".psmdcp"

	entries := []entry{{name: nuspecName, data: manifest}}
	for _, f := range files {
		entries = append(entries, entry{name: f.name, exec: f.exec, path: f.path})
	}
	entries = append(entries,
		entry{name: corePart, data: coreProperties(md)},
		entry{name: "_rels/.rels", data: relationships([][2]string{{relManifest, "/" + nuspecName}, {relCoreProps, "/" + corePart}})},
	)
	entries = append(entries, entry{name: "[Content_Types].xml", data: contentTypes(entries)})
	return writeEntries(w, entries, mtime)
}

// checkPartName refuses names NuGet would have to escape or reserves: the
// bundle's package holds plain ASCII paths only.
func checkPartName(name string) error {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/", r)) {
			return fmt.Errorf("%s: only ASCII letters, digits and . _ - / in package paths", name)
		}
	}
	lower := strings.ToLower(name)
	if !strings.Contains(lower, "/") && strings.HasSuffix(lower, ".nuspec") ||
		strings.HasPrefix(lower, "_rels/") || strings.HasPrefix(lower, "package/") {
		return fmt.Errorf("%s: reserved in a NuGet package (the packer writes it)", name)
	}
	return nil
}

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// coreProperties is the OPC core-properties part, with the fields NuGet's
// packer fills in.
func coreProperties(md nuspecMetadata) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">`)
	fmt.Fprintf(&b, "<dc:creator>%s</dc:creator><dc:description>%s</dc:description><dc:identifier>%s</dc:identifier><version>%s</version><keywords>%s</keywords><lastModifiedBy>couponkit distpack</lastModifiedBy>",
		xmlText(md.Authors), xmlText(md.Description), xmlText(md.ID), xmlText(md.Version), xmlText(md.Tags))
	b.WriteString("</coreProperties>\n")
	return []byte(b.String())
}

// relationships is the package relationships part; each id is derived from
// its target ("R" and 16 hex digits, the shape NuGet uses), so it is stable.
func relationships(rels [][2]string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for _, r := range rels {
		id := sha256.Sum256([]byte(r[1]))
		fmt.Fprintf(&b, `<Relationship Type="%s" Target="%s" Id="R%s" />`, r[0], xmlText(r[1]), strings.ToUpper(hex.EncodeToString(id[:8])))
	}
	b.WriteString("</Relationships>\n")
	return []byte(b.String())
}

// contentTypes gives every part a content type: a Default per extension
// (case-insensitive, as OPC matches them) and an Override for a part with
// no extension.
func contentTypes(parts []entry) []byte {
	defaults := map[string]string{"rels": ctRelationships, "psmdcp": ctCoreProperties}
	var overrides []string
	for _, p := range parts {
		ext := strings.ToLower(strings.TrimPrefix(path.Ext(p.name), "."))
		if ext == "" {
			overrides = append(overrides, "/"+p.name)
		} else if _, ok := defaults[ext]; !ok {
			defaults[ext] = ctOctet
		}
	}
	exts := make([]string, 0, len(defaults))
	for e := range defaults {
		exts = append(exts, e)
	}
	sort.Strings(exts)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	for _, e := range exts {
		fmt.Fprintf(&b, `<Default Extension="%s" ContentType="%s" />`, xmlText(e), defaults[e])
	}
	for _, o := range overrides {
		fmt.Fprintf(&b, `<Override PartName="%s" ContentType="%s" />`, xmlText(o), ctOctet)
	}
	b.WriteString("</Types>\n")
	return []byte(b.String())
}
