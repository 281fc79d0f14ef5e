package io.depproxy.contracts.senddata;

/** What the control plane tells the accelerator to do instead of sending its own (empty) body. */
public sealed interface Injection permits SendUrl, SendDependency, SendPeer {
}
