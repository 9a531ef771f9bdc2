-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'bob1@shop.test','$2a$10$xYkPcr.aUFEJZArvrrMAHoKHcQrlXHALMIwMsyA0Ns2BrPbRKgjBx',NULL);
INSERT INTO `users` VALUES (2,'bob2@shop.test','$1$IbHUA54N$TO8UU9VyLU.avQjToCQ/Ce',NULL);
INSERT INTO `users` VALUES (3,'bob3@shop.test','$2a$12$0QOg2clomQbp7srwXKooP4PvTD8jr//VyIMwEarOGm.Z0ksdRf6E4',NULL);
INSERT INTO `users` VALUES (4,'www-data4@shop.test','$1$Y3ZbIC96$a1jKmpDDvayslBrRkNdxkm',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','831e864ec8b45d48730d21e9e233c90cb4f20047226249de87a13d9133d268f9');
