package io.depproxy.controlplane.tags;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TagPageTest {

    @Test
    void anUpstreamThatPaginatesKeepsItsPagesAndItsNextLink() {
        TagListService.TagPage page = TagListService.page("app", List.of("a", "b"), "n=2&last=b", "2", null);
        assertThat(page.body()).isEqualTo("{\"name\":\"app\",\"tags\":[\"a\",\"b\"]}");
        assertThat(page.nextQuery()).isEqualTo("n=2&last=b");
    }

    @Test
    void anUpstreamThatIgnoresNAndLastIsPaginatedHereInLexicalOrder() {
        List<String> all = List.of("c3", "a1", "b2");
        TagListService.TagPage first = TagListService.page("app", all, null, "2", null);
        assertThat(first.body()).isEqualTo("{\"name\":\"app\",\"tags\":[\"a1\",\"b2\"]}");
        assertThat(first.nextQuery()).isEqualTo("n=2&last=b2");
        TagListService.TagPage rest = TagListService.page("app", all, null, "2", "b2");
        assertThat(rest.body()).isEqualTo("{\"name\":\"app\",\"tags\":[\"c3\"]}");
        assertThat(rest.nextQuery()).isNull();
        assertThat(TagListService.page("app", all, null, null, "a1").body())
                .isEqualTo("{\"name\":\"app\",\"tags\":[\"b2\",\"c3\"]}");
    }

    @Test
    void onlyTheNextLinksNAndLastAreKept() {
        assertThat(TagListService.nextQuery("</v2/library/app/tags/list?last=b&n=2&evil=x>; rel=\"next\""))
                .isEqualTo("n=2&last=b");
        assertThat(TagListService.nextQuery("</v2/app/tags/list?n=2>; rel=\"next\"")).isNull();
        assertThat(TagListService.nextQuery("</v2/app/tags/list?last=b>; rel=\"prev\"")).isNull();
        assertThat(TagListService.nextQuery(null)).isNull();
    }
}
