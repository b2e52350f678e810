// Envelopes exactly as containerd 1.6.20, 1.7.24 and 2.1.9 streamed them from Events.Subscribe
// (raw message bytes, base64), captured while ctr created namespace "capns" (labels a=b), imported
// docker.io/library/busybox:cap into it, ran a container that exited 3 and one that was paused,
// resumed and killed (137), labelled and removed the image and relabelled the namespace (c=d).
export interface CapturedEnvelope {
  readonly version: '1.6' | '1.7' | '2.x';
  readonly topic: string;
  readonly base64: string;
}

export const capturedEnvelopes: readonly CapturedEnvelope[] = [
  { version: '1.6', topic: '/namespaces/create', base64: 'CgwI28SK2AYQgr7J0gMSB2RlZmF1bHQaEi9uYW1lc3BhY2VzL2NyZWF0ZSI0CiFjb250YWluZXJkLmV2ZW50cy5OYW1lc3BhY2VDcmVhdGUSDwoFY2FwbnMSBgoBYRIBYg==' },
  { version: '1.6', topic: '/images/create', base64: 'CgsI3MSK2AYQzr/iZhIFY2FwbnMaDi9pbWFnZXMvY3JlYXRlIkwKKWNvbnRhaW5lcmQuc2VydmljZXMuaW1hZ2VzLnYxLkltYWdlQ3JlYXRlEh8KHWRvY2tlci5pby9saWJyYXJ5L2J1c3lib3g6Y2Fw' },
  { version: '1.6', topic: '/snapshot/prepare', base64: 'CgsI3MSK2AYQrvqebRIFY2FwbnMaES9zbmFwc2hvdC9wcmVwYXJlIoUBCiFjb250YWluZXJkLmV2ZW50cy5TbmFwc2hvdFByZXBhcmUSYApeZXh0cmFjdC0yMjU4NjAwODgtTEZBViBzaGEyNTY6OTAxNzBkM2IwZGNkMDU0NTI5ZTgzMzYyMDBjMTVjNTc0Y2VjZDQ5YTI1NDI3NjY2OWQzMWQxOGIxMTZjZWQ0OQ==' },
  { version: '1.6', topic: '/snapshot/commit', base64: 'CgsI3MSK2AYQ4JL9eRIFY2FwbnMaEC9zbmFwc2hvdC9jb21taXQizgEKIGNvbnRhaW5lcmQuZXZlbnRzLlNuYXBzaG90Q29tbWl0EqkBCl5leHRyYWN0LTIyNTg2MDA4OC1MRkFWIHNoYTI1Njo5MDE3MGQzYjBkY2QwNTQ1MjllODMzNjIwMGMxNWM1NzRjZWNkNDlhMjU0Mjc2NjY5ZDMxZDE4YjExNmNlZDQ5EkdzaGEyNTY6OTAxNzBkM2IwZGNkMDU0NTI5ZTgzMzYyMDBjMTVjNTc0Y2VjZDQ5YTI1NDI3NjY2OWQzMWQxOGIxMTZjZWQ0OQ==' },
  { version: '1.6', topic: '/containers/create', base64: 'CgwI3MSK2AYQ4NfcjAESBWNhcG5zGhIvY29udGFpbmVycy9jcmVhdGUipgEKIWNvbnRhaW5lcmQuZXZlbnRzLkNvbnRhaW5lckNyZWF0ZRKAAQoMY2FwLTE2LTI3ODY1Eh1kb2NrZXIuaW8vbGlicmFyeS9idXN5Ym94OmNhcBpRChVpby5jb250YWluZXJkLnJ1bmMudjISOAoaY29udGFpbmVyZC5ydW5jLnYxLk9wdGlvbnMSGjoYL3RtcC92c2NjLTE2LXE4Zmc1Ty9ydW5j' },
  { version: '1.6', topic: '/tasks/create', base64: 'CgwI3MSK2AYQ/J2VswESBWNhcG5zGg0vdGFza3MvY3JlYXRlIskEChxjb250YWluZXJkLmV2ZW50cy5UYXNrQ3JlYXRlEqgECgxjYXAtMTYtMjc4NjUSSi90bXAvdnNjYy0xNi1xOGZnNU8vc3RhdGUvaW8uY29udGFpbmVyZC5ydW50aW1lLnYyLnRhc2svY2FwbnMvY2FwLTE2LTI3ODY1GqkCCgdvdmVybGF5EgdvdmVybGF5IglpbmRleD1vZmYiWHdvcmtkaXI9L3RtcC92c2NjLTE2LXE4Zmc1Ty9yb290L2lvLmNvbnRhaW5lcmQuc25hcHNob3R0ZXIudjEub3ZlcmxheWZzL3NuYXBzaG90cy8yL3dvcmsiV3VwcGVyZGlyPS90bXAvdnNjYy0xNi1xOGZnNU8vcm9vdC9pby5jb250YWluZXJkLnNuYXBzaG90dGVyLnYxLm92ZXJsYXlmcy9zbmFwc2hvdHMvMi9mcyJXbG93ZXJkaXI9L3RtcC92c2NjLTE2LXE4Zmc1Ty9yb290L2lvLmNvbnRhaW5lcmQuc25hcHNob3R0ZXIudjEub3ZlcmxheWZzL3NuYXBzaG90cy8xL2ZzIpsBCjEvcnVuL2NvbnRhaW5lcmQvZmlmby8xMTM5MzcyMDQvY2FwLTE2LTI3ODY1LXN0ZGluEjIvcnVuL2NvbnRhaW5lcmQvZmlmby8xMTM5MzcyMDQvY2FwLTE2LTI3ODY1LXN0ZG91dBoyL3J1bi9jb250YWluZXJkL2ZpZm8vMTEzOTM3MjA0L2NhcC0xNi0yNzg2NS1zdGRlcnIwo9oB' },
  { version: '1.6', topic: '/tasks/start', base64: 'CgwI3MSK2AYQ77OluAESBWNhcG5zGgwvdGFza3Mvc3RhcnQiMQobY29udGFpbmVyZC5ldmVudHMuVGFza1N0YXJ0EhIKDGNhcC0xNi0yNzg2NRCj2gE=' },
  { version: '1.6', topic: '/tasks/exit', base64: 'CgwI3MSK2AYQoOHRuQESBWNhcG5zGgsvdGFza3MvZXhpdCJOChpjb250YWluZXJkLmV2ZW50cy5UYXNrRXhpdBIwCgxjYXAtMTYtMjc4NjUSDGNhcC0xNi0yNzg2NRij2gEgAyoMCNzEitgGEN/9zrkB' },
  { version: '1.6', topic: '/tasks/delete', base64: 'CgwI3MSK2AYQk6iUxgESBWNhcG5zGg0vdGFza3MvZGVsZXRlIkIKHGNvbnRhaW5lcmQuZXZlbnRzLlRhc2tEZWxldGUSIgoMY2FwLTE2LTI3ODY1EKPaARgDIgwI3MSK2AYQ3/3OuQE=' },
  { version: '1.6', topic: '/tasks/paused', base64: 'CgwI3MSK2AYQiaa0kgISBWNhcG5zGg0vdGFza3MvcGF1c2VkIiwKHGNvbnRhaW5lcmQuZXZlbnRzLlRhc2tQYXVzZWQSDAoKY2FwcC0yNzg2NQ==' },
  { version: '1.6', topic: '/images/delete', base64: 'CgsI3cSK2AYQrcqrbRIFY2FwbnMaDi9pbWFnZXMvZGVsZXRlIkwKKWNvbnRhaW5lcmQuc2VydmljZXMuaW1hZ2VzLnYxLkltYWdlRGVsZXRlEh8KHWRvY2tlci5pby9saWJyYXJ5L2J1c3lib3g6Y2Fw' },
  { version: '1.6', topic: '/namespaces/update', base64: 'CgsI3cSK2AYQxuazdhIHZGVmYXVsdBoSL25hbWVzcGFjZXMvdXBkYXRlIjQKIWNvbnRhaW5lcmQuZXZlbnRzLk5hbWVzcGFjZVVwZGF0ZRIPCgVjYXBucxIGCgFjEgFk' },
  { version: '1.7', topic: '/namespaces/create', base64: 'CgwI5MSK2AYQofbLngESBWNhcG5zGhIvbmFtZXNwYWNlcy9jcmVhdGUiNAohY29udGFpbmVyZC5ldmVudHMuTmFtZXNwYWNlQ3JlYXRlEg8KBWNhcG5zEgYKAWESAWI=' },
  { version: '1.7', topic: '/snapshot/prepare', base64: 'CgwI5MSK2AYQ1vCc+wESBWNhcG5zGhEvc25hcHNob3QvcHJlcGFyZSKQAQohY29udGFpbmVyZC5ldmVudHMuU25hcHNob3RQcmVwYXJlEmsKXmV4dHJhY3QtNTIzMTA2MTU3LTFETkwgc2hhMjU2OjkwMTcwZDNiMGRjZDA1NDUyOWU4MzM2MjAwYzE1YzU3NGNlY2Q0OWEyNTQyNzY2NjlkMzFkMThiMTE2Y2VkNDkqCW92ZXJsYXlmcw==' },
  { version: '1.7', topic: '/snapshot/remove', base64: 'CgwI5cSK2AYQzPG0iAMSBWNhcG5zGhAvc25hcHNob3QvcmVtb3ZlIngKIGNvbnRhaW5lcmQuZXZlbnRzLlNuYXBzaG90UmVtb3ZlElQKR3NoYTI1Njo5MDE3MGQzYjBkY2QwNTQ1MjllODMzNjIwMGMxNWM1NzRjZWNkNDlhMjU0Mjc2NjY5ZDMxZDE4YjExNmNlZDQ5KglvdmVybGF5ZnM=' },
  { version: '2.x', topic: '/content/create', base64: 'CgsI6cSK2AYQn6yvbRIFY2FwbnMaDy9jb250ZW50L2NyZWF0ZSJvCh9jb250YWluZXJkLmV2ZW50cy5Db250ZW50Q3JlYXRlEkwKR3NoYTI1NjoxODhkMmMzNGQ3MThiOTYyY2ZjM2RiNzM1OTQwZmQ5NmZjMzYyMWQ2NmFmYjY3ZDI0ZjZiYjI1OTUxN2JjM2ZiEOIC' },
  { version: '2.x', topic: '/snapshot/remove', base64: 'CgwI6cSK2AYQ78LgrwISBWNhcG5zGhAvc25hcHNob3QvcmVtb3ZlIj0KIGNvbnRhaW5lcmQuZXZlbnRzLlNuYXBzaG90UmVtb3ZlEhkKDGNhcC0yeC0yODQzOSoJb3ZlcmxheWZz' },
  { version: '2.x', topic: '/tasks/exit', base64: 'CgwI6cSK2AYQr6eKnQMSBWNhcG5zGgsvdGFza3MvZXhpdCJLChpjb250YWluZXJkLmV2ZW50cy5UYXNrRXhpdBItCgpjYXBwLTI4NDM5EgpjYXBwLTI4NDM5GLPfASCJASoMCOnEitgGENPGgp0D' },
  { version: '2.x', topic: '/containers/delete', base64: 'CgwI6sSK2AYQ2fDK0AESBWNhcG5zGhIvY29udGFpbmVycy9kZWxldGUiMQohY29udGFpbmVyZC5ldmVudHMuQ29udGFpbmVyRGVsZXRlEgwKCmNhcHAtMjg0Mzk=' },
  { version: '2.x', topic: '/images/update', base64: 'CgwI6sSK2AYQgv/l2QESBWNhcG5zGg4vaW1hZ2VzL3VwZGF0ZSJUCiljb250YWluZXJkLnNlcnZpY2VzLmltYWdlcy52MS5JbWFnZVVwZGF0ZRInCh1kb2NrZXIuaW8vbGlicmFyeS9idXN5Ym94OmNhcBIGCgF4EgF5' },
  { version: '2.x', topic: '/namespaces/update', base64: 'CgwI6sSK2AYQtZSr6QESBWNhcG5zGhIvbmFtZXNwYWNlcy91cGRhdGUiNAohY29udGFpbmVyZC5ldmVudHMuTmFtZXNwYWNlVXBkYXRlEg8KBWNhcG5zEgYKAWMSAWQ=' },
];
