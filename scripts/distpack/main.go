// Command distpack writes the release bundle's archives byte for byte the
// same on every run: a NuGet package (an OPC zip: the .nuspec, the files,
// [Content_Types].xml, _rels/.rels and the core-properties part, as
// NuGet's own packer lays them out) and a plain zip of a directory. Entries
// are sorted by name, every timestamp is the given epoch (make dist passes
// SOURCE_DATE_EPOCH, the last commit's time), file modes are normalised to
// 0644 or 0755, and nothing random (NuGet's GUID part name and relationship
// ids) is left: those are derived from the content.
//
//	distpack nupkg -nuspec CouponKit.nuspec -epoch N -out CouponKit.0.1.0.nupkg DIR
//	distpack zip   -epoch N -prefix couponkit-0.1.0/ -out couponkit-0.1.0.zip DIR
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "distpack:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: distpack nupkg|zip [flags] DIR")
	}
	fs := flag.NewFlagSet("distpack "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "the archive to write")
	epoch := fs.String("epoch", os.Getenv("SOURCE_DATE_EPOCH"), "timestamp of every entry, in seconds since 1970 (default $SOURCE_DATE_EPOCH)")
	nuspec := fs.String("nuspec", "", "nupkg: the package manifest")
	prefix := fs.String("prefix", "", "zip: a directory name put before every entry (for example couponkit-0.1.0/)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" {
		return fmt.Errorf("%s: need -out and exactly one directory", args[0])
	}
	mtime, err := parseEpoch(*epoch)
	if err != nil {
		return err
	}
	files, err := collect(fs.Arg(0))
	if err != nil {
		return err
	}
	var write func(io.Writer) error
	switch args[0] {
	case "nupkg":
		if *nuspec == "" {
			return fmt.Errorf("nupkg: need -nuspec")
		}
		manifest, err := os.ReadFile(*nuspec)
		if err != nil {
			return err
		}
		write = func(w io.Writer) error { return writeNupkg(w, manifest, files, mtime) }
	case "zip":
		write = func(w io.Writer) error { return writeZip(w, *prefix, files, mtime) }
	default:
		return fmt.Errorf("unknown command %q (nupkg or zip)", args[0])
	}
	return writeAtomically(*out, write)
}

// parseEpoch reads a SOURCE_DATE_EPOCH value; zip times start in 1980.
func parseEpoch(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("no -epoch and no SOURCE_DATE_EPOCH: the entries need a fixed time")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("epoch %q: not a number of seconds", s)
	}
	t := time.Unix(n, 0).UTC()
	if t.Year() < 1980 || t.Year() > 2107 {
		return time.Time{}, fmt.Errorf("epoch %q: outside the zip date range 1980-2107", s)
	}
	return t, nil
}

// writeAtomically writes the archive under a temporary name and renames it,
// so a failed run never leaves a half-written archive behind.
func writeAtomically(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
