package io.depproxy.accelerator.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.RecordedRequest;
import io.depproxy.accelerator.support.TestConfig;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.UploadTarget;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.ReadAheadOutcome;
import io.depproxy.contracts.upload.RemoteObject;
import io.depproxy.contracts.upload.UploadedFile;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accelerator's own calls to the control plane, on the Web Client, against a real loopback server. */
class InternalCallsTest {
    private static final UploadTarget TARGET = new UploadTarget("POST", "/v2/acme/dependency_proxy/containers/a/blobs/x/upload",
            HeaderMap.single("X-Target", "kept"));
    private static final AuthorizeResponse AUTHORIZED = new AuthorizeResponse(new RemoteObject("tmp-1",
            "http://127.0.0.1:1/get", "http://127.0.0.1:1/put", "http://127.0.0.1:1/delete", 60, null), 1024);

    private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
    private final InternalJwt jwt = new InternalJwt(Golden.secret());
    private Vertx vertx;
    private volatile Handler<HttpServerRequest> answer;
    private InternalRequests requests;
    @TempDir
    Path spoolDir;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        HttpServer server = Await.result(vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    seen.add(RecordedRequest.of(request, body));
                    answer.handle(request);
                }))
                .listen(0, "127.0.0.1"));
        AcceleratorConfig config = TestConfig.loopback(URI.create("http://127.0.0.1:" + server.actualPort()), spoolDir)
                .spoolMaxBytes(1024).build();
        WebClient client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
                .setUserAgentEnabled(false));
        requests = new InternalRequests(client, config, jwt);
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void authorizeSignsTheCallAndReadsTheAnswer() {
        answer = request -> request.response().putHeader("Content-Type", MediaTypes.WORKHORSE_INTERNAL_JSON)
                .end(AUTHORIZED.toJson());
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap().add(Headers.DOCKER_CONTENT_DIGEST, "sha256:abc")
                .add("Content-Type", "application/octet-stream");

        AuthorizeResponse authorized = Await.result(new UploadAuthorizer(requests, Duration.ofSeconds(2))
                .authorize(TARGET, upstream, 42, "req-1"));

        assertThat(authorized).isEqualTo(AUTHORIZED);
        RecordedRequest call = seen.get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.uri()).isEqualTo(TARGET.authorizeUrl());
        jwt.verifyApiRequest(call.header(Headers.API_REQUEST));
        assertThat(call.header(Headers.REQUEST_ID)).isEqualTo("req-1");
        assertThat(call.header(Headers.UPLOAD_LENGTH)).isEqualTo("42");
        assertThat(call.header("X-Target")).isEqualTo("kept");
        assertThat(call.header(Headers.DOCKER_CONTENT_DIGEST)).isEqualTo("sha256:abc");
        assertThat(call.header(Headers.PROXY_CONTENT_TYPE)).isEqualTo("application/octet-stream");
        assertThat(call.header("User-Agent")).isNull();
    }

    @Test
    void anAuthorizeAnswerBeyondTheBoundIsRefusedNotHeld() {
        String padding = "x".repeat(70 * 1024);
        answer = request -> request.response().putHeader("Content-Type", MediaTypes.WORKHORSE_INTERNAL_JSON)
                .end(AUTHORIZED.toJson().replaceFirst("\\{", "{\"Padding\":\"" + padding + "\","));

        assertThatThrownBy(() -> Await.result(new UploadAuthorizer(requests, Duration.ofSeconds(2))
                .authorize(TARGET, MultiMap.caseInsensitiveMultiMap(), -1, "req-2")))
                .hasMessageContaining("too large");
    }

    @Test
    void aRedirectIsAnAnswerNeverFollowed() {
        answer = request -> request.response().setStatusCode(302).putHeader("Location", "/elsewhere").end();

        assertThatThrownBy(() -> Await.result(new UploadAuthorizer(requests, Duration.ofSeconds(2))
                .authorize(TARGET, MultiMap.caseInsensitiveMultiMap(), -1, "req-3")))
                .hasMessageContaining("status=302");
        assertThat(seen).hasSize(1);
    }

    @Test
    void withdrawCompletesWhateverTheControlPlaneAnswers() {
        answer = request -> request.response().setStatusCode(500).end("{\"message\":\"down\"}");

        Await.result(new UploadAuthorizer(requests, Duration.ofSeconds(2)).withdraw(TARGET, "tmp 1", "req-4"));

        assertThat(seen).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("DELETE");
            assertThat(call.uri()).isEqualTo(TARGET.authorizeUrl() + "?remote_id=tmp+1");
        });
    }

    @Test
    void finalizePostsTheSignedFormAndFailsOnAnythingBut200() {
        answer = request -> request.response().setStatusCode(409).end("{}");
        UploadedFile file = new UploadedFile("upload", 3, "ab".repeat(32), "tmp-1", "http://127.0.0.1:1/get");

        assertThatThrownBy(() -> Await.result(new UploadFinalizer(requests, Duration.ofSeconds(5))
                .finalizeUpload(TARGET, file, MultiMap.caseInsensitiveMultiMap(), "req-5",
                        ReadAheadOutcome.ASKED)))
                .hasMessageContaining("upload finalize failed: status=409");
        RecordedRequest call = seen.get(0);
        assertThat(call.uri()).isEqualTo(TARGET.url());
        assertThat(call.header("Content-Type")).isEqualTo(MediaTypes.FORM);
        assertThat(call.bodyText()).contains("file.sha256=" + "ab".repeat(32), "file.gitlab-workhorse-upload=");
        jwt.verifyApiRequest(call.header(Headers.API_REQUEST));
        assertThat(call.header(Headers.READ_AHEAD)).isNull();
    }

    @Test
    void finalizeTellsWhoTookAReadAheadDownload() {
        answer = request -> request.response().setStatusCode(200).end("{}");
        UploadedFile file = new UploadedFile("upload", 3, "ab".repeat(32), "tmp-1", "http://127.0.0.1:1/get");
        UploadFinalizer finalizer = new UploadFinalizer(requests, Duration.ofSeconds(5));

        Await.result(finalizer.finalizeUpload(TARGET, file, MultiMap.caseInsensitiveMultiMap(), "req-6",
                ReadAheadOutcome.AHEAD_OF_CLIENTS));
        Await.result(finalizer.finalizeUpload(TARGET, file, MultiMap.caseInsensitiveMultiMap(), "req-7",
                ReadAheadOutcome.JOINED_ON_DECISION));

        assertThat(seen).extracting(call -> call.header(Headers.READ_AHEAD)).containsExactly("1", "joined");
    }
}
