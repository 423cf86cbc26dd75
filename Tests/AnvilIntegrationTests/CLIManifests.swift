/// Small manifests for driving the CLI, in the shape Sidero's documentation uses.
enum CLIManifests {
    static let uuid1 = "4c4c4544-0039-3010-8048-b7c04f4d3232"
    static let uuid2 = "4c4c4544-0039-3010-8048-b7c04f4d3233"

    static let servers = """
    apiVersion: metal.sidero.dev/v1alpha1
    kind: Server
    metadata:
      name: \(uuid1)
      labels:
        rack: r1
    spec:
      accepted: false
      hostname: node-1
      system:
        manufacturer: QEMU
      cpu:
        manufacturer: Intel(R) Corporation
        version: Intel(R) Xeon(R) CPU E5-2630 v4
      bmc:
        endpoint: 10.0.0.21
        user: admin
        pass: hunter2
    ---
    apiVersion: metal.sidero.dev/v1alpha2
    kind: Server
    metadata:
      name: \(uuid2)
      labels:
        rack: r2
    spec:
      accepted: true
      hostname: node-2
      bmc:
        endpoint: 10.0.0.22
        userFrom:
          secretKeyRef:
            namespace: default
            name: node-2-bmc
            key: user
        passFrom:
          secretKeyRef:
            namespace: default
            name: node-2-bmc
            key: pass
    ---
    apiVersion: metal.sidero.dev/v1alpha2
    kind: ServerClass
    metadata:
      name: workers
    spec:
      environmentRef:
        name: talos
      selector:
        matchLabels:
          rack: r1
        matchExpressions:
          - key: zone
            operator: NotIn
            values: [cold]
      qualifiers:
        hardware:
          - system:
              manufacturer: QEMU
      configPatches:
        - op: replace
          path: /machine/install/disk
          value: /dev/sda
    ---
    apiVersion: metal.sidero.dev/v1alpha1
    kind: Environment
    metadata:
      name: talos
    spec:
      kernel:
        url: https://github.com/siderolabs/talos/releases/download/v1.5.0/vmlinuz-amd64
        args:
          - console=tty0
          - talos.platform=metal
          - initrd=initramfs.xz
      initrd:
        url: https://github.com/siderolabs/talos/releases/download/v1.5.0/initramfs-amd64.xz
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: node-2-bmc
    stringData:
      user: operator
      pass: correct-horse-battery
    """

    static let badBootMethod = """
    apiVersion: metal.sidero.dev/v1alpha2
    kind: Server
    metadata:
      name: \(uuid2)
    spec:
      accepted: true
    ---
    apiVersion: metal.sidero.dev/v1alpha2
    kind: Server
    metadata:
      name: 4c4c4544-0039-3010-8048-b7c04f4d3299
    spec:
      bootFromDiskMethod: explode
    """

    static let withUnknownKind = """
    apiVersion: controlplane.cluster.x-k8s.io/v1alpha3
    kind: TalosControlPlane
    metadata:
      name: cp
    spec:
      replicas: 1
    ---
    apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
    kind: MetalCluster
    metadata:
      name: management
      namespace: default
    spec:
      controlPlaneEndpoint:
        host: 10.0.0.5
        port: 6443
    """
}
