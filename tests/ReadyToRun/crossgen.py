#!/usr/bin/env python3
"""Compiles the managed assemblies of built NUnit suites ahead of time (ReadyToRun, crossgen2) in place, so a test
process runs precompiled code where it would JIT-compile every method it calls once (see ReadyToRun.csproj).

usage: crossgen.py CROSSGEN2 CACHE_DIR BIN_DIR...

Every IL-only .dll in a BIN_DIR is compiled against the shared frameworks its runtimeconfig.json names (the newest
installed patch of each, as `dotnet exec` rolls forward) and the assemblies beside it, then replaces the IL file. An
image holds code of the assemblies its own refers to (see CROSS_MODULE), so it is cached by the SHA-256 of its IL, of
the IL of every assembly it refers to (directly or through others), of the framework folders and of the options: one
engine assembly copied into fifteen suites is compiled once, and a changed Floe.Core gives Floe.Features a new image.
The IL of each assembly is kept in the cache beside its images (and each image names its IL), so a folder that already
holds images from an earlier run is keyed the same way; images and IL unused for two weeks are deleted. `dotnet build`
copies the IL back over an image (sizes differ); the next run restores it from the cache. An assembly crossgen2
refuses stays IL and is listed, and the exit status is still 0: IL runs the same tests, only with more JIT work.
"""
import hashlib, json, os, shutil, struct, subprocess, sys, tempfile, time

# Code from other assemblies may be compiled into an image: methods inlined across assemblies, and instantiations of
# another assembly's generics (List<OurStruct>, ArrayByteMemory<long> used from Features). An image of its own version
# bubble holds neither, so every suite JIT-compiled them at their first call: the Features suite 4,463 methods, 2,564
# with these options; the thirteen fast-pass NUnit suites 64.3 -> 57.9 CPU-s (session 20, bench/RESULTS.md). Such an
# image is only valid with the IL it copied, hence the cache key in main().
CROSS_MODULE = ['--opt-cross-module:*', '--non-local-generics-module:*']


def clr_header(data):
    """(flags, managed-native-header RVA) of a PE file's CLI header, or None when the file is not a .NET assembly."""
    if len(data) < 0x40 or data[:2] != b'MZ':
        return None
    pe = struct.unpack_from('<I', data, 0x3C)[0]
    if data[pe:pe + 4] != b'PE\0\0':
        return None
    sections, opt_size = struct.unpack_from('<H', data, pe + 6)[0], struct.unpack_from('<H', data, pe + 20)[0]
    opt = pe + 24
    magic = struct.unpack_from('<H', data, opt)[0]
    dirs = opt + (96 if magic == 0x10B else 112)
    rva, size = struct.unpack_from('<II', data, dirs + 14 * 8)
    if rva == 0 or size == 0:
        return None
    table = opt + opt_size
    for i in range(sections):
        vsize, vaddr, raw_size, raw_ptr = struct.unpack_from('<IIII', data, table + i * 40 + 8)
        if vaddr <= rva < vaddr + max(vsize, raw_size):
            cor = rva - vaddr + raw_ptr
            flags = struct.unpack_from('<I', data, cor + 16)[0]
            native = struct.unpack_from('<I', data, cor + 64)[0]
            return flags, native
    return None


def installed_frameworks():
    out = subprocess.run(['dotnet', '--list-runtimes'], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        name, version, root = line.split(' ', 2)
        found.setdefault(name, []).append((tuple(int(p) for p in version.split('-')[0].split('.')), os.path.join(root.strip('[]'), version)))
    return found


def framework_dirs(bin_dir, installed):
    dirs = []
    for config in (f for f in os.listdir(bin_dir) if f.endswith('.runtimeconfig.json')):
        options = json.load(open(os.path.join(bin_dir, config)))['runtimeOptions']
        for fw in options.get('frameworks', [options.get('framework')]):
            if not fw:
                continue
            wanted = tuple(int(p) for p in fw['version'].split('-')[0].split('.'))
            # Same major.minor, newest patch: the runtime's default roll-forward.
            candidates = [c for c in installed.get(fw['name'], []) if c[0][:2] == wanted[:2] and c[0] >= wanted]
            if not candidates:
                sys.exit(f'crossgen.py: {fw["name"]} {fw["version"]} (from {config}) is not installed')
            dirs.append(max(candidates)[1])
    return sorted(set(dirs))


def managed_il(path, data, cache):
    """The SHA-256 of the IL a managed assembly in a bin folder was built as (its own for an IL file; for an image this
    script put there, the IL it was compiled from, kept in the cache), or None for native files, mixed assemblies and
    images made elsewhere."""
    header = clr_header(data)
    if header is None:
        return None
    if header[1] == 0:
        if not header[0] & 1:  # mixed-mode: native code of its own, nothing to compile
            return None
        digest = hashlib.sha256(data).hexdigest()
        kept = os.path.join(cache, 'il-' + digest + '.dll')
        if not os.path.exists(kept):
            shutil.copyfile(path, kept + '.tmp')
            os.replace(kept + '.tmp', kept)
        return digest
    origin = os.path.join(cache, 'origin-' + hashlib.sha256(data).hexdigest())
    if not os.path.exists(origin):
        return None
    digest = open(origin).read().strip()
    return digest if os.path.exists(os.path.join(cache, 'il-' + digest + '.dll')) else None


def direct_references(il_bytes):
    """For each assembly of a folder, the others it names. An assembly reference keeps the referenced name in the
    #Strings heap as a NUL-terminated string; a namespace spelled like an assembly name matches too, which only costs a
    compilation, never a stale image. One scan of each assembly for each name, however many images need its closure."""
    needles = {name: b'\0' + name[:-4].encode() + b'\0' for name in il_bytes}
    return {name: {other for other, needle in needles.items() if other != name and needle in data}
            for name, data in il_bytes.items()}


def referenced_closure(name, references):
    """The other assemblies of the folder that `name` refers to, directly or through them."""
    found, todo = set(), [name]
    while todo:
        for other in references[todo.pop()]:
            if other != name and other not in found:
                found.add(other)
                todo.append(other)
    return found


def main():
    crossgen, cache, bin_dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(cache, exist_ok=True)
    installed = installed_frameworks()
    compiled = reused = 0
    refused = []
    used = set()
    for bin_dir in bin_dirs:
        fw_dirs = framework_dirs(bin_dir, installed)
        fw_refs = [os.path.join(d, f) for d in fw_dirs for f in os.listdir(d) if f.endswith('.dll')]
        local = sorted(os.path.join(bin_dir, f) for f in os.listdir(bin_dir) if f.endswith('.dll'))
        il = {}
        for path in local:
            data = open(path, 'rb').read()
            digest = managed_il(path, data, cache)
            if digest is not None:
                il[os.path.basename(path)] = (digest, hashlib.sha256(data).hexdigest())
        references = direct_references(
            {name: open(os.path.join(cache, 'il-' + d + '.dll'), 'rb').read() for name, (d, _) in il.items()})
        for name, (digest, current) in sorted(il.items()):
            path = os.path.join(bin_dir, name)
            # An image holds code of the assemblies it refers to (inlined, or their generics), so it is kept by their
            # IL too: rebuilding Floe.Core alone gives Floe.Features a new image, not one that inlined the old Core.
            closure = sorted(il[d][0] for d in referenced_closure(name, references))
            key = hashlib.sha256('\0'.join([digest] + closure + CROSS_MODULE + fw_dirs).encode()).hexdigest()
            image = os.path.join(cache, key + '.dll')
            used.update((image, image + '.refused', os.path.join(cache, 'il-' + digest + '.dll')))
            if os.path.exists(image + '.refused'):
                continue
            if os.path.exists(image):
                reused += 1
            else:
                with tempfile.TemporaryDirectory(dir=cache) as tmp:
                    rsp = os.path.join(tmp, 'args.rsp')
                    source = os.path.join(tmp, 'in', name)
                    os.makedirs(os.path.dirname(source))
                    shutil.copyfile(os.path.join(cache, 'il-' + digest + '.dll'), source)
                    out = os.path.join(tmp, name)
                    refs = fw_refs + [p for p in local if p != path]
                    with open(rsp, 'w') as f:
                        f.write('\n'.join([source, '-o:' + out, '--targetos:linux', '--targetarch:x64', '-O'] + CROSS_MODULE
                                          + ['-r:' + r for r in refs]) + '\n')
                    run = subprocess.run([crossgen, '@' + rsp], capture_output=True, text=True)
                    if run.returncode != 0 or not os.path.exists(out):
                        refused.append(f'{name}: {(run.stdout + run.stderr).strip()[-300:]}')
                        open(image + '.refused', 'w').close()
                        continue
                    os.replace(out, image)
                compiled += 1
            image_digest = hashlib.sha256(open(image, 'rb').read()).hexdigest()
            origin = os.path.join(cache, 'origin-' + image_digest)
            used.add(origin)
            if not os.path.exists(origin):
                with open(origin + '.tmp', 'w') as f:
                    f.write(digest + '\n')
                os.replace(origin + '.tmp', origin)
            if image_digest != current:
                tmp_path = path + '.r2r-tmp'
                shutil.copyfile(image, tmp_path)
                os.replace(tmp_path, path)
    # Images and IL of assemblies no suite has held for two weeks (older builds of the engine) would only pile up.
    now = time.time()
    for path in used:
        if os.path.exists(path):
            os.utime(path)
    for name in os.listdir(cache):
        path = os.path.join(cache, name)
        if os.path.isfile(path) and now - os.path.getmtime(path) > 14 * 86400:
            os.unlink(path)
    print(f'crossgen.py: {compiled} assemblies compiled, {reused} from the cache, {len(refused)} left as IL')
    for line in refused:
        print('  left as IL:', line)


if __name__ == '__main__':
    main()
