/** A modular application embedding Convene: it reads only the conference API (and the overlay API it re-exports). */
module dev.convene.example.modular {
    requires dev.convene.conference;

    exports dev.convene.example.modular;
}
