package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendPeer;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import java.time.Duration;

/**
 * send-peer: the client is served from this replica's one relay of the peer's running download
 * ({@link SpooledClients}, {@link PeerOrigin}): its clients share one stream from the peer, checked against the
 * digest as it arrives and spooled here, so they are served from local disk as a local download's joiners are.
 */
public final class SendPeerInjector implements Injector<SendPeer> {
    private final SpooledClients clients;
    private final PeerOrigin.Peers peers;

    /**
     * @param peerClient     the client the peer routes are called with (a peer's address is the one the control
     *                       plane's lease names, an accelerator of this deployment, not an upstream)
     * @param connectTimeout for a peer's connection; {@code stallTimeout}: how long a peer may send nothing
     */
    public SendPeerInjector(SpooledClients clients, HttpClient peerClient, InternalRequests internal,
                            Duration connectTimeout, Duration stallTimeout) {
        this.clients = clients;
        this.peers = new PeerOrigin.Peers(peerClient, internal,
                new ReportThenAskAgain(internal, connectTimeout.plus(stallTimeout)), connectTimeout, stallTimeout);
    }

    @Override
    public String name() {
        return SendDataCodec.SEND_PEER;
    }

    @Override
    public Future<Void> inject(Exchange exchange, SendPeer sendPeer) {
        return clients.serve(exchange, new PeerOrigin(sendPeer, peers));
    }
}
