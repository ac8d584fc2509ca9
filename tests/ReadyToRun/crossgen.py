#!/usr/bin/env python3
"""Compiles the managed assemblies of built NUnit suites ahead of time (ReadyToRun, crossgen2) in place, so a test
process runs precompiled code where it would JIT-compile every method it calls once (see ReadyToRun.csproj).

usage: crossgen.py CROSSGEN2 CACHE_DIR BIN_DIR...

Every IL-only .dll in a BIN_DIR that carries no ReadyToRun code yet is compiled against the shared frameworks its
runtimeconfig.json names (the newest installed patch of each, as `dotnet exec` rolls forward) and the assemblies
beside it, then replaces the IL file. An image depends only on its IL (each assembly is its own version bubble: the
runtime checks every cross-assembly assumption when it loads the image and JIT-compiles the method instead when one
does not hold), so images are cached by the IL's SHA-256 and one engine assembly copied into fifteen suites is
compiled once; images unused for two weeks are deleted. `dotnet build` copies the IL back over an image (sizes
differ); the next run restores it from the cache. An assembly crossgen2 refuses stays IL and is listed, and the exit
status is still 0: IL runs the same tests, only with more JIT work.
"""
import hashlib, json, os, shutil, struct, subprocess, sys, tempfile, time


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
        for path in local:
            data = open(path, 'rb').read()
            header = clr_header(data)
            if header is None or header[1] != 0 or not header[0] & 1:  # not managed, already ReadyToRun, or mixed
                continue
            digest = hashlib.sha256(data).hexdigest()
            image = os.path.join(cache, digest + '.dll')
            used.update((image, image + '.refused'))
            if os.path.exists(image + '.refused'):
                continue
            if os.path.exists(image):
                reused += 1
            else:
                with tempfile.TemporaryDirectory(dir=cache) as tmp:
                    rsp = os.path.join(tmp, 'args.rsp')
                    out = os.path.join(tmp, os.path.basename(path))
                    refs = fw_refs + [p for p in local if p != path]
                    with open(rsp, 'w') as f:
                        f.write('\n'.join([path, '-o:' + out, '--targetos:linux', '--targetarch:x64', '-O']
                                          + ['-r:' + r for r in refs]) + '\n')
                    run = subprocess.run([crossgen, '@' + rsp], capture_output=True, text=True)
                    if run.returncode != 0 or not os.path.exists(out):
                        refused.append(f'{os.path.basename(path)}: {(run.stdout + run.stderr).strip()[-300:]}')
                        open(image + '.refused', 'w').close()
                        continue
                    os.replace(out, image)
                compiled += 1
            tmp_path = path + '.r2r-tmp'
            shutil.copyfile(image, tmp_path)
            os.replace(tmp_path, path)
    # Images of assemblies no suite has held for two weeks (older builds of the engine) would only pile up. Age, not
    # this run's use: a bin folder that still holds its image from an earlier run does not name its IL hash.
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
