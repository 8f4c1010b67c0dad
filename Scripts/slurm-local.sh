# A private single-node Slurm cluster for tests and benchmarks (sourced, not run):
#
#   source Scripts/slurm-local.sh
#   slurm_local_install             # Debian slurmctld, slurmd, slurm-client, munge when missing
#   slurm_local_start DIR           # munged, slurmctld, slurmd with their files under DIR
#   …  sbatch / squeue / scancel …  # SLURM_CONF points at DIR/slurm.conf
#   slurm_local_stop                # stops the three daemons by PID (also from an EXIT trap)
#
# Everything lives under DIR: slurm.conf, the generated munge key and socket, state, spool, logs
# and PID files; nothing in /etc or /var is read or changed. The node's CPUs and memory are read
# from the machine (`slurmd -C`). The daemons run as root (slurmd must start jobs as their user).
# The ports are chosen from this shell's PID so a stale cluster of an earlier run cannot answer.

slurm_local_pids=()

# Installs the Slurm daemons, client and munge from Debian when a command is missing; fails (non-
# zero) when the install does.
slurm_local_install() {
    local missing=()
    command -v slurmctld >/dev/null || missing+=(slurmctld)
    command -v slurmd >/dev/null || missing+=(slurmd)
    command -v sbatch >/dev/null || missing+=(slurm-client)
    command -v munged >/dev/null || missing+=(munge)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "slurm-local: installing ${missing[*]} (Debian)" >&2
    local start=$SECONDS
    apt-get -o DPkg::Lock::Timeout=600 update -qq || return 1
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null || return 1
    echo "slurm-local: installed in $((SECONDS - start)) s" >&2
}

# Waits up to $2 seconds for command $1 (a string, eval'ed) to succeed.
slurm_local_wait() {
    local deadline=$((SECONDS + $2))
    until eval "$1" >/dev/null 2>&1; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.2
    done
}

slurm_local_start() {
    local dir=$1
    if [ "$(id -u)" -ne 0 ]; then
        echo "slurm-local: the daemons must run as root (slurmd starts jobs as their user)" >&2
        return 1
    fi
    mkdir -p "$dir"/{state,spool,log,munge}
    chmod 700 "$dir/munge"
    local node cpus memory
    node=$(hostname -s)
    local machine
    machine=$(slurmd -C | head -1)
    cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$machine")
    memory=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$machine")
    [ -n "$cpus" ] && [ -n "$memory" ] || { echo "slurm-local: cannot read slurmd -C: $machine" >&2; return 1; }
    local port=$((20000 + ($$ % 10000) * 2))

    # munge: a fresh key, our own socket, PID, log and seed files.
    mungekey --create --keyfile="$dir/munge/munge.key" --force 2>/dev/null \
        || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 600 "$dir/munge/munge.key"
    munged --foreground --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
        --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
        --seed-file="$dir/munge/munged.seed" >"$dir/log/munged.out" 2>&1 &
    slurm_local_pids+=($!)
    slurm_local_wait "[ -S '$dir/munge/munge.socket' ]" 20 \
        || { echo "slurm-local: munged did not start:" >&2; cat "$dir/log/munged.log" >&2; return 1; }

    cat >"$dir/slurm.conf" <<EOF
ClusterName=accsim-test
SlurmctldHost=$node
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=kill_invalid_depend
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
SlurmdTimeout=60
NodeName=$node CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF=$dir/slurm.conf
    slurmctld -D -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 &
    slurm_local_pids+=($!)
    slurmd -D -f "$SLURM_CONF" >"$dir/log/slurmd.out" 2>&1 &
    slurm_local_pids+=($!)
    if ! slurm_local_wait "sinfo -h -o %t | grep -qx idle" 60; then
        echo "slurm-local: the node did not become idle; sinfo: $(sinfo -h 2>&1)" >&2
        tail -n 20 "$dir"/log/slurm*.log >&2
        return 1
    fi
    echo "slurm-local: cluster up: node $node, $cpus CPUs, $memory MB, port $port, SLURM_CONF=$SLURM_CONF" >&2
}

# Cancels what is still queued, then stops the daemons this shell started, by PID (slurmd first, munged last), and waits for them.
slurm_local_stop() {
    local index
    if [ -n "${SLURM_CONF:-}" ] && [ ${#slurm_local_pids[@]} -gt 0 ]; then
        scancel --full --quiet --user "$(id -un)" 2>/dev/null || true
        slurm_local_wait '[ -z "$(squeue -h 2>/dev/null)" ]' 15 || true
    fi
    for ((index = ${#slurm_local_pids[@]} - 1; index >= 0; index--)); do
        kill "${slurm_local_pids[index]}" 2>/dev/null || true
        wait "${slurm_local_pids[index]}" 2>/dev/null || true
    done
    slurm_local_pids=()
}
